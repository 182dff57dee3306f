// Package functions_test checks the AWS deployment as declared: template.yaml against the code
// of each function (build targets, environment, IAM), the API routes against api/openapi.yaml,
// and every sample in events/ against the handler types.
package functions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/docapi"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/exhibits"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/metrics"
	"github.com/ipfast/ipfast/shared/outbox"
	"github.com/ipfast/ipfast/shared/sweep"
	"github.com/ipfast/ipfast/web"
	"go.yaml.in/yaml/v3"
)

const root = ".."

// toValue turns a YAML node into plain values, with CloudFormation short tags in their long
// form (!Ref x → {"Ref": x}, !GetAtt a.b → {"Fn::GetAtt": [a, b]}, !Sub s → {"Fn::Sub": s}).
func toValue(n *yaml.Node) any {
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		return toValue(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = toValue(n.Content[i+1])
		}
		v = m
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			s = append(s, toValue(c))
		}
		v = s
	case yaml.AliasNode:
		return toValue(n.Alias)
	default:
		v = n.Value
	}
	switch tag := n.Tag; {
	case tag == "!Ref":
		return map[string]any{"Ref": v}
	case tag == "!GetAtt":
		if s, ok := v.(string); ok {
			parts := strings.SplitN(s, ".", 2)
			return map[string]any{"Fn::GetAtt": []any{parts[0], parts[1]}}
		}
		return map[string]any{"Fn::GetAtt": v}
	case strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!"):
		return map[string]any{"Fn::" + tag[1:]: v}
	}
	return v
}

type template struct {
	Resources map[string]map[string]any
	Globals   map[string]any
	raw       map[string]any
}

func loadTemplate(t *testing.T) template {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	raw := toValue(&doc).(map[string]any)
	tpl := template{Resources: map[string]map[string]any{}, raw: raw}
	for name, r := range expandForEach(t, raw["Resources"].(map[string]any), parameterDefaults(raw)) {
		tpl.Resources[name] = r.(map[string]any)
	}
	tpl.Globals, _ = raw["Globals"].(map[string]any)
	return tpl
}

// parameterDefaults are the template's parameters' default values, a CommaDelimitedList's
// split into its items.
func parameterDefaults(raw map[string]any) map[string]any {
	out := map[string]any{}
	for name, p := range raw["Parameters"].(map[string]any) {
		d := fmt.Sprint(get(p, "Default"))
		if get(p, "Type") == "CommaDelimitedList" {
			var items []any
			for _, x := range strings.Split(d, ",") {
				items = append(items, strings.TrimSpace(x))
			}
			out[name] = items
			continue
		}
		out[name] = d
	}
	return out
}

// expandForEach does what the AWS::LanguageExtensions transform does to Fn::ForEach::<loop>
// keys of a map (nested loops included), with the parameters' defaults as collections: each
// item of the collection makes a copy of the fragment in which ${Id} becomes the item and
// &{Id} the item without its non-alphanumeric characters, in keys and in string values.
func expandForEach(t *testing.T, m map[string]any, params map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !strings.HasPrefix(k, "Fn::ForEach::") {
			out[k] = v
			continue
		}
		loop, ok := v.([]any)
		if !ok || len(loop) != 3 {
			t.Fatalf("%s: want [identifier, collection, fragment]", k)
		}
		id := fmt.Sprint(loop[0])
		coll, ok := loop[1].([]any)
		if ref, isRef := get(loop[1], "Ref").(string); isRef {
			coll, ok = params[ref].([]any)
		}
		if !ok {
			t.Fatalf("%s: collection %v is neither a list nor a Ref to a CommaDelimitedList", k, loop[1])
		}
		for _, item := range coll {
			x := fmt.Sprint(item)
			alnum := regexp.MustCompile(`[^A-Za-z0-9]`).ReplaceAllString(x, "")
			frag := substitute(loop[2], "${"+id+"}", x, "&{"+id+"}", alnum).(map[string]any)
			for fk, fv := range expandForEach(t, frag, params) {
				if _, dup := out[fk]; dup {
					t.Fatalf("%s makes %s twice", k, fk)
				}
				out[fk] = fv
			}
		}
	}
	return out
}

func substitute(v any, pairs ...string) any {
	r := strings.NewReplacer(pairs...)
	switch x := v.(type) {
	case string:
		return r.Replace(x)
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[r.Replace(k)] = substitute(e, pairs...)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = substitute(e, pairs...)
		}
		return l
	}
	return v
}

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func (tpl template) functions() []string {
	var out []string
	for name, r := range tpl.Resources {
		if r["Type"] == "AWS::Serverless::Function" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// functionPackage is the Go package the function's Makefile target builds.
func functionPackage(t *testing.T, makefile, name string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^build-` + name + `:\n\t.*?(\./functions/[a-z0-9_-]+)`)
	m := re.FindStringSubmatch(makefile)
	if m == nil {
		t.Fatalf("Makefile has no target build-%s building ./functions/…", name)
	}
	return m[1]
}

// moduleFiles lists the non-test Go files of the project packages that pkg imports (itself
// included).
func moduleFiles(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}|{{.Dir}}|{{join .GoFiles ","}}{{end}}`, pkg)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	var files []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		if len(parts) != 3 || !strings.HasPrefix(parts[0], "github.com/ipfast/ipfast/") || parts[2] == "" {
			continue
		}
		for _, f := range strings.Split(parts[2], ",") {
			files = append(files, filepath.Join(parts[1], f))
		}
	}
	return files
}

var (
	getenvRe = regexp.MustCompile(`os\.Getenv\(\s*("([A-Z0-9_]+)"|(?:\w+\.)?(\w+))\s*\)`)
	constRe  = regexp.MustCompile(`(?m)^\s*(\w+)\s*=\s*"([A-Z_][A-Z0-9_]+)"`)
	inputRe  = regexp.MustCompile(`&(dynamodb|dynamodbstreams|sqs|secretsmanager|s3)\.(\w+)Input\{`)
	symbolRe = regexp.MustCompile(`aws-sdk-go-v2/service/(\w+)\.\(\*(?:Presign)?Client\)\.(?:Presign)?(\w+)$`)
	// The S3 adapter sends presigned requests of its own rather than through the SDK's client;
	// each of its methods stands for the S3 operations it performs (or presigns for a client).
	s3blobRe  = regexp.MustCompile(`ipfast/shared/s3blob\.\(\*Store\)\.(\w+)$`)
	s3blobOps = map[string][]string{"UploadTarget": {"s3:PutObject"}, "Open": {"s3:GetObject"}, "Stat": {"s3:GetObject"},
		"Copy": {"s3:GetObject", "s3:PutObject"}, "Delete": {"s3:DeleteObject"}, "DownloadURL": {"s3:GetObject"}}
)

// envRead lists the environment variables the code of these files reads.
func envRead(t *testing.T, files []string) map[string]bool {
	consts := map[string]string{}
	var srcs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
		for _, m := range constRe.FindAllStringSubmatch(string(b), -1) {
			consts[m[1]] = m[2]
		}
	}
	read := map[string]bool{}
	for _, src := range srcs {
		for _, m := range getenvRe.FindAllStringSubmatch(src, -1) {
			switch {
			case m[2] != "":
				read[m[2]] = true
			case consts[m[3]] != "":
				read[consts[m[3]]] = true
			default:
				t.Errorf("os.Getenv(%s): cannot tell which variable", m[1])
			}
		}
	}
	return read
}

// iamAction names the IAM actions an SDK operation needs.
func iamActions(service, op string) []string {
	prefix := map[string]string{"dynamodbstreams": "dynamodb"}[service]
	if prefix == "" {
		prefix = service
	}
	switch {
	case service == "dynamodb" && op == "TransactWriteItems":
		// A transaction is authorized item by item: our transactions put, update and (a
		// complaint's old list row) delete.
		return []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
	case service == "s3" && op == "CopyObject":
		return []string{"s3:GetObject", "s3:PutObject"} // read the source, write the copy
	case service == "s3" && op == "HeadObject":
		return []string{"s3:GetObject"}
	}
	return []string{prefix + ":" + op}
}

// awsCalls is what a function calls: the SDK operations linked into its binary that the
// project's own code (the packages it imports) builds an input for.
func awsCalls(t *testing.T, pkg string, files []string) map[string]bool {
	t.Helper()
	written := map[string]bool{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range inputRe.FindAllStringSubmatch(string(b), -1) {
			written[m[1]+"."+m[2]] = true
		}
	}
	bin := filepath.Join(t.TempDir(), "fn")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc,validator_novalidatefn", "-o", bin, pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v %s", pkg, err, out)
	}
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if m := symbolRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil && written[m[1]+"."+m[2]] {
			for _, a := range iamActions(m[1], m[2]) {
				calls[a] = true
			}
		}
		if m := s3blobRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			for _, a := range s3blobOps[m[1]] {
				calls[a] = true
			}
		}
		// The secrets are read by a GetSecretValue request of awssecret's own, not the SDK's.
		if strings.HasSuffix(strings.TrimSpace(line), "ipfast/shared/awssecret.Get") {
			calls["secretsmanager:GetSecretValue"] = true
		}
	}
	return calls
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, strs(e)...)
		}
		return out
	}
	return nil
}

// refersToResource reports whether an IAM Resource entry names a resource of the template.
func (tpl template) refersToResource(r any) bool {
	switch x := r.(type) {
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok {
			_, ok := tpl.Resources[ref]
			return ok
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok {
			_, ok := tpl.Resources[fmt.Sprint(ga[0])]
			return ok
		}
		if sub, ok := x["Fn::Sub"].(string); ok {
			// The stage's SQS queues, which Fn::ForEach makes per expo: the pattern must match
			// a queue of the template, and stands for queues of this stage only.
			const sqsARN = "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:"
			if pattern, ok := strings.CutPrefix(sub, sqsARN); ok {
				if !strings.HasPrefix(pattern, "ipfast-${Stage}-") {
					return false
				}
				for _, r := range tpl.Resources {
					qn, _ := get(r, "Properties", "QueueName", "Fn::Sub").(string)
					if match, _ := path.Match(pattern, qn); r["Type"] == "AWS::SQS::Queue" && match {
						return true
					}
				}
				return false
			}
			m := regexp.MustCompile(`^\$\{(\w+)(\.\w+)?\}`).FindStringSubmatch(sub)
			if m == nil {
				return false
			}
			_, ok := tpl.Resources[m[1]]
			return ok
		}
	}
	return false
}

func TestTemplateFunctions(t *testing.T) {
	tpl := loadTemplate(t)
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	fns := tpl.functions()
	if len(fns) < 2 {
		t.Fatalf("functions in template: %v", fns)
	}
	if rt := get(tpl.Globals, "Function", "Runtime"); rt != "provided.al2023" {
		t.Errorf("runtime %v", rt)
	}
	if arch := strs(get(tpl.Globals, "Function", "Architectures")); len(arch) != 1 || arch[0] != "arm64" {
		t.Errorf("architectures %v", arch)
	}
	globalEnv, _ := get(tpl.Globals, "Function", "Environment", "Variables").(map[string]any)
	for _, name := range fns {
		t.Run(name, func(t *testing.T) {
			r := tpl.Resources[name]
			if get(r, "Metadata", "BuildMethod") != "makefile" {
				t.Errorf("BuildMethod is not makefile")
			}
			pkg := functionPackage(t, string(mk), name)
			// The target builds a bootstrap for this machine.
			out := t.TempDir()
			cmd := exec.Command("make", "-s", "build-"+name, "LAMBDA_ARCH="+goarch(), "ARTIFACTS_DIR="+out)
			cmd.Dir = root
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("make build-%s: %v %s", name, err, b)
			}
			if st, err := os.Stat(filepath.Join(out, "bootstrap")); err != nil || st.Mode()&0o111 == 0 {
				t.Fatalf("no executable bootstrap: %v", err)
			}
			files := moduleFiles(t, pkg)

			// Environment: what the code reads is set, and what is set is read.
			env := map[string]bool{}
			for k := range globalEnv {
				env[k] = true
			}
			own, _ := get(r, "Properties", "Environment", "Variables").(map[string]any)
			for k := range own {
				env[k] = true
			}
			read := envRead(t, files)
			notInAWS := map[string]string{"IPFAST_TOKEN_SECRET": "the plain secret is for local runs and tests; AWS uses IPFAST_TOKEN_SECRET_ARN",
				"IPFAST_CERTIFICATE_KEYS": "the plain keys are for tests; AWS uses IPFAST_CERTIFICATE_KEYS_ARN"}
			for v := range read {
				// AWS_* are the Lambda runtime's own (region, credentials, the X-Ray daemon's
				// address) or endpoint overrides for emulators: AWS sets or leaves them, not the
				// template; so is _X_AMZN_TRACE_ID, the invocation's X-Ray header.
				if !env[v] && notInAWS[v] == "" && !strings.HasPrefix(v, "AWS_") && v != "_X_AMZN_TRACE_ID" {
					t.Errorf("the code reads %s, which the template does not set", v)
				}
			}
			for v := range env {
				if !read[v] {
					t.Errorf("the template sets %s, which the code never reads", v)
				}
			}

			// IAM: every statement names resources of this template, and the actions are
			// exactly what the code calls plus what the function's event sources need.
			allowed := map[string]bool{}
			policies, _ := get(r, "Properties", "Policies").([]any) // the pages function has none
			for _, pol := range policies {
				for _, st := range get(pol, "Statement").([]any) {
					res := get(st, "Resource")
					list, ok := res.([]any)
					if !ok {
						list = []any{res}
					}
					for _, rr := range list {
						if !tpl.refersToResource(rr) {
							t.Errorf("statement %v: resource %v is not a resource of this template", get(st, "Sid"), rr)
						}
					}
					for _, a := range strs(get(st, "Action")) {
						allowed[a] = true
					}
				}
			}
			needed := awsCalls(t, pkg, files)
			// Built with validator_novalidatefn, the linker keeps only the methods that are
			// called, so what is linked is what is called. (The sweeper's UpdateItem, once only
			// a transaction's item type, is called since it migrates the table.)
			for a := range needed {
				if !allowed[a] {
					t.Errorf("the code calls %s, which the policies do not allow", a)
				}
			}
			bySource := map[string]bool{}
			for _, ev := range get(r, "Properties", "Events").(map[string]any) {
				switch get(ev, "Type") {
				case "DynamoDB":
					for _, a := range []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"} {
						bySource[a] = true
					}
					if get(ev, "Properties", "DestinationConfig", "OnFailure", "Type") == "SQS" {
						bySource["sqs:SendMessage"] = true
					}
					if fr := strs(get(ev, "Properties", "FunctionResponseTypes")); len(fr) != 1 || fr[0] != "ReportBatchItemFailures" {
						t.Errorf("stream event without ReportBatchItemFailures")
					}
					if get(ev, "Properties", "BisectBatchOnFunctionError") != "true" {
						t.Errorf("stream event without BisectBatchOnFunctionError")
					}
				}
			}
			for a := range allowed {
				if !needed[a] && !bySource[a] {
					t.Errorf("the policies allow %s, which neither the code nor an event source needs", a)
				}
			}
		})
	}
}

func goarch() string {
	out, _ := exec.Command("go", "env", "GOARCH").Output()
	return strings.TrimSpace(string(out))
}

func TestTemplateResources(t *testing.T) {
	tpl := loadTemplate(t)
	table := tpl.Resources["FilingsTable"]
	props := get(table, "Properties")
	if get(props, "BillingMode") != "PAY_PER_REQUEST" || get(props, "StreamSpecification", "StreamViewType") != "NEW_AND_OLD_IMAGES" ||
		get(props, "TimeToLiveSpecification", "AttributeName") != "expiration" ||
		get(props, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled") != "true" ||
		get(props, "SSESpecification", "SSEEnabled") != "true" {
		t.Errorf("table properties: %v", props)
	}
	// Every queue of the default deployment (ExpoIds' default, the built-in expo) has its
	// queue with a redrive policy to its dead-letter queue, and an alarm on that.
	expo := filing.DefaultExpo()
	queues := 0
	for _, r := range tpl.Resources {
		if r["Type"] == "AWS::SQS::Queue" {
			queues++
		}
	}
	if want := 2*len(expo.AllQueues()) + 1; queues != want { // + the router's failure queue
		t.Errorf("%d queues in the template, want %d: each of %v with its dead letters, and the router's failures", queues, want, expo.AllQueues())
	}
	for _, q := range expo.AllQueues() {
		var queue, dlq, alarm bool
		for _, r := range tpl.Resources {
			qn, _ := get(r, "Properties", "QueueName", "Fn::Sub").(string)
			switch {
			case qn == "ipfast-${Stage}-"+q:
				queue = get(r, "Properties", "RedrivePolicy", "maxReceiveCount") != nil &&
					get(r, "Properties", "RedrivePolicy", "deadLetterTargetArn", "Fn::Sub") ==
						"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:ipfast-${Stage}-"+q+"-dlq"
			case qn == "ipfast-${Stage}-"+q+"-dlq":
				dlq = true
				for _, a := range tpl.Resources {
					if a["Type"] == "AWS::CloudWatch::Alarm" && get(a, "Properties", "Dimensions") != nil &&
						get(get(a, "Properties", "Dimensions").([]any)[0], "Value", "Fn::Sub") == qn {
						alarm = true
					}
				}
			}
		}
		if !queue || !dlq || !alarm {
			t.Errorf("queue %s: queue with redrive %v, dead-letter queue %v, alarm %v", q, queue, dlq, alarm)
		}
	}
	bucket := get(tpl.Resources["AttachmentsBucket"], "Properties")
	for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
		if get(bucket, "PublicAccessBlockConfiguration", k) != "true" {
			t.Errorf("bucket %s not set", k)
		}
	}
	if get(bucket, "BucketEncryption") == nil {
		t.Errorf("bucket without encryption")
	}
	if get(tpl.Resources["TokenSecret"], "Type") != "AWS::SecretsManager::Secret" {
		t.Errorf("no generated token secret")
	}
	if get(tpl.Globals, "Function", "Tracing") != "Active" || get(tpl.Globals, "Function", "LoggingConfig", "LogFormat") != "JSON" {
		t.Errorf("tracing or JSON logging not on")
	}
}

// TestTemplateRoutesMatchOpenAPI: the HTTP API routes of the template are the routes of
// api/openapi.yaml, which a test in shared/api holds equal to the server's.
func TestTemplateRoutesMatchOpenAPI(t *testing.T) {
	tpl := loadTemplate(t)
	inTemplate := map[string]bool{}
	for _, name := range tpl.functions() {
		for _, ev := range get(tpl.Resources[name], "Properties", "Events").(map[string]any) {
			if get(ev, "Type") == "HttpApi" {
				inTemplate[fmt.Sprint(get(ev, "Properties", "Method"))+" "+fmt.Sprint(get(ev, "Properties", "Path"))] = true
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	inSpec := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			inSpec[strings.ToUpper(m)+" "+p] = true
		}
	}
	for r := range inSpec {
		if !inTemplate[r] {
			t.Errorf("%s is in openapi.yaml but not routed in template.yaml", r)
		}
	}
	// The pages (web/), served by the pages function, are not API routes.
	pages := map[string]bool{"GET /": true, "GET /{proxy+}": true}
	for r := range inTemplate {
		if !inSpec[r] && !pages[r] {
			t.Errorf("%s is routed in template.yaml but not in openapi.yaml", r)
		}
	}
}

func strictDecode(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("does not fit %T: %v", v, err)
	}
}

// TestSampleEvents loads every file in events/ into the handler's event type (unknown fields
// are errors, so samples cannot drift) and runs it through the handler.
func TestSampleEvents(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "events", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample events: %v", err)
	}
	expo := filing.DefaultExpo()
	// Every sample comes from one source address: more of them than a burst.
	expo.Limits.RequestsPerSecond = 0
	db, err := embedded.Open(filepath.Join(t.TempDir(), "ipfast.db"), embedded.Options{Queues: expo.AllQueues()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := api.NewServer(expo, api.Backend{Store: db, Queue: db}, auth.NewVerifier([]byte("x"), nil), slog.New(slog.NewJSONHandler(io.Discard, nil)), "")
	adapter := httpadapter.NewV2(srv.Handler()) // as functions/api serves
	pages := httpadapter.NewV2(web.Handler())   // as functions/pages serves
	keys := &certs.Keyring{}
	if _, err := keys.Rotate(time.Now()); err != nil {
		t.Fatal(err)
	}
	docRoutes := docapi.Routes(srv, exhibits.New(expo, db, srv.Intake, keys, nil))
	documents := httpadapter.NewV2(srv.HandlerFor(docRoutes)) // as functions/documents serves
	isDoc := map[string]bool{}
	for _, r := range docRoutes {
		isDoc[r.Method+" "+r.Pattern] = true
	}
	routes := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			switch {
			case strings.HasPrefix(name, "api-"):
				var ev events.APIGatewayV2HTTPRequest
				strictDecode(t, b, &ev)
				routes[ev.RouteKey] = true
				serve := adapter
				switch {
				case ev.RouteKey == "GET /" || ev.RouteKey == "GET /{proxy+}":
					serve = pages
				case isDoc[ev.RouteKey]:
					serve = documents
				}
				resp, err := serve.ProxyWithContext(context.Background(), ev)
				if err != nil {
					t.Fatal(err)
				}
				// The samples carry a token of another secret: protected routes answer 401,
				// public ones 200. Either way the handler ran and answered with a request id.
				want := http.StatusUnauthorized
				if ev.Headers["authorization"] == "" {
					want = http.StatusOK
				}
				switch ev.RouteKey {
				case "GET /v1/status/{token}", "GET /v1/certificates/{id}", "GET /v1/status/{token}/unsubscribe", "POST /v1/status/{token}/unsubscribe":
					want = http.StatusNotFound // the test's store is empty: no filing has the sample's link, no certificate its id
				case "POST /v1/kiosks/setup", "POST /v1/staff/setup":
					want = http.StatusGone // nobody was enrolled with the sample's set-up code
				}
				// Pages are static files: no request id, and the examiner console's HTML naming its
				// fingerprinted script.
				page := ev.RouteKey == "GET /{proxy+}"
				if resp.StatusCode != want || !page && resp.Headers["X-Request-Id"] == "" ||
					page && !regexp.MustCompile(`/examiner/console\.[0-9a-f]{10}\.js`).MatchString(resp.Body) {
					t.Errorf("%s: %d (want %d) %s", ev.RouteKey, resp.StatusCode, want, resp.Body)
				}
			case strings.HasPrefix(name, "stream-"):
				var ev events.DynamoDBEvent
				strictDecode(t, b, &ev)
				// Routed to the local queue, indexed in a table on DynamoDB Local, as the router
				// function indexes in the deployment's table.
				plain := awstest.DynamoDB(t)
				index := &dynamo.Store{Client: plain, Table: awstest.Table(t, plain)}
				resp, err := outbox.HandleStream(context.Background(), db, index.IndexChange, ev)
				if err != nil || len(resp.BatchItemFailures) != 0 {
					t.Fatalf("router: %+v %v", resp, err)
				}
				id := strings.TrimPrefix(ev.Records[0].Change.NewImage["pk"].String(), "F#")
				row, err := plain.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: &index.Table,
					Key: map[string]ddbtypes.AttributeValue{"pk": &ddbtypes.AttributeValueMemberS{Value: "SRCH#CISCE2026#*"},
						"sk": &ddbtypes.AttributeValueMemberS{Value: "* " + id}}})
				if err != nil || row.Item == nil {
					t.Errorf("the stream sample's filing is not in the search index: %v", err)
				}
				d, ok, err := db.Receive(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), time.Minute, 0)
				if err != nil || !ok || d.FilingID == "" || d.ID == "" {
					t.Errorf("the stream sample routed nothing: %+v %v %v", d, ok, err)
				}
				if _, again, _ := db.Receive(context.Background(), filing.ExpoQueue("CISCE2026", "trademark"), time.Minute, 0); again {
					t.Errorf("the stream sample routed more than its filing row")
				}
			case strings.HasPrefix(name, "schedule-"):
				var ev events.CloudWatchEvent
				strictDecode(t, b, &ev)
				if ev.DetailType != "Scheduled Event" {
					t.Errorf("not a scheduled event: %q", ev.DetailType)
				}
				if _, err := (&sweep.Service{Store: db, Expo: expo}).DeemWithdrawn(context.Background()); err != nil {
					t.Errorf("sweep: %v", err)
				}
			case strings.HasPrefix(name, "sqs-"):
				var ev events.SQSEvent
				strictDecode(t, b, &ev)
				for _, r := range ev.Records {
					var m filing.Message
					strictDecode(t, []byte(r.Body), &m)
					if m.FilingID == "" {
						t.Errorf("message without filing id")
					}
				}
			default:
				t.Errorf("no handler type known for %s", name)
			}
		})
	}
	if !routes["GET /{proxy+}"] {
		t.Errorf("no sample event for the pages (GET /{proxy+})")
	}
	for _, r := range append(api.Routes(), docRoutes...) {
		if !routes[r.Method+" "+r.Pattern] {
			t.Errorf("no sample event for %s %s", r.Method, r.Pattern)
		}
	}
}

// TestTemplateOperations (issue 17): every alarm tells someone (the AlarmTopic, which
// AlarmEmail subscribes to); every function and the API log to a log group that expires; the
// API is throttled; the alarms cover the dead letters, the router's failures and its lag behind
// the stream, each function's errors and throttles, the API's 5xx share and p99 latency.
func TestTemplateOperations(t *testing.T) {
	tpl := loadTemplate(t)
	refTo := func(v any, typ string) (string, bool) {
		name, ok := get(v, "Ref").(string)
		if !ok {
			if ga, isGA := get(v, "Fn::GetAtt").([]any); isGA && len(ga) == 2 {
				name, ok = fmt.Sprint(ga[0]), true
			} else if ga, isGA := get(v, "Fn::GetAtt").(string); isGA {
				name, ok = strings.SplitN(ga, ".", 2)[0], true
			}
		}
		return name, ok && tpl.Resources[name] != nil && tpl.Resources[name]["Type"] == typ
	}
	covered := map[string]bool{} // what the alarms watch: metric + dimension value
	for name, r := range tpl.Resources {
		if r["Type"] != "AWS::CloudWatch::Alarm" {
			continue
		}
		for _, key := range []string{"AlarmActions", "OKActions"} {
			actions, _ := get(r, "Properties", key).([]any)
			if len(actions) == 0 {
				t.Errorf("alarm %s has no %s", name, key)
			}
			for _, a := range actions {
				if _, ok := refTo(a, "AWS::SNS::Topic"); !ok {
					t.Errorf("alarm %s: %s %v is not the template's topic", name, key, a)
				}
			}
		}
		metric := fmt.Sprint(get(r, "Properties", "MetricName"))
		dims, _ := get(r, "Properties", "Dimensions").([]any)
		if ms, ok := get(r, "Properties", "Metrics").([]any); ok {
			for _, m := range ms {
				if mm := get(m, "MetricStat", "Metric"); mm != nil {
					metric = fmt.Sprint(get(mm, "MetricName"))
					dims, _ = get(mm, "Dimensions").([]any)
					covered[metric+" "+fmt.Sprint(get(dims[0], "Value"))] = true
				}
			}
		}
		for _, d := range dims {
			covered[metric+" "+fmt.Sprint(get(d, "Value"))] = true
		}
	}
	if get(tpl.Resources["AlarmEmailSubscription"], "Properties", "Protocol") != "email" ||
		get(tpl.Resources["AlarmEmailSubscription"], "Condition") != "HasAlarmEmail" {
		t.Errorf("no email subscription to the alarms")
	}
	for _, fn := range tpl.functions() {
		for _, m := range []string{"Errors", "Throttles"} {
			if !covered[m+" map[Ref:"+fn+"]"] {
				t.Errorf("no %s alarm for %s", m, fn)
			}
		}
		// Its log group, with a retention.
		lg, ok := refTo(get(tpl.Resources[fn], "Properties", "LoggingConfig", "LogGroup"), "AWS::Logs::LogGroup")
		if !ok || get(tpl.Resources[lg], "Properties", "RetentionInDays") == nil {
			t.Errorf("%s: no log group with a retention (%v)", fn, get(tpl.Resources[fn], "Properties", "LoggingConfig"))
		}
	}
	for _, want := range []string{"IteratorAge map[Ref:RouterFunction]", "5xx map[Ref:HttpApi]", "Latency map[Ref:HttpApi]",
		"ApproximateNumberOfMessagesVisible map[Fn::GetAtt:[RouterFailureQueue QueueName]]"} {
		if !covered[want] {
			t.Errorf("no alarm on %s (alarms watch %v)", want, covered)
		}
	}
	api := get(tpl.Resources["HttpApi"], "Properties")
	if lg, ok := refTo(get(api, "AccessLogSettings", "DestinationArn"), "AWS::Logs::LogGroup"); !ok ||
		get(tpl.Resources[lg], "Properties", "RetentionInDays") == nil || !strings.Contains(fmt.Sprint(get(api, "AccessLogSettings", "Format")), `"status":"$context.status"`) {
		t.Errorf("the API has no JSON access log with a retention: %v", get(api, "AccessLogSettings"))
	}
	var format map[string]any
	if err := json.Unmarshal([]byte(fmt.Sprint(get(api, "AccessLogSettings", "Format"))), &format); err != nil {
		t.Errorf("the access log format is not JSON: %v", err)
	}
	if get(api, "DefaultRouteSettings", "ThrottlingRateLimit") == nil || get(api, "DefaultRouteSettings", "ThrottlingBurstLimit") == nil {
		t.Errorf("the API is not throttled: %v", get(api, "DefaultRouteSettings"))
	}
	if get(tpl.Globals, "Function", "LoggingConfig", "ApplicationLogLevel") == nil {
		t.Errorf("no log level for the functions")
	}
}

// TestTemplateDashboard: the dashboard is valid JSON once its ${…} are filled in, and every
// ipfast metric it shows is one the code emits (metrics.All, which the EMF test holds the
// lines to), with the dimensions the code gives it.
func TestTemplateDashboard(t *testing.T) {
	tpl := loadTemplate(t)
	body, _ := get(tpl.Resources["OperationsDashboard"], "Properties", "DashboardBody", "Fn::Sub").(string)
	if body == "" {
		t.Fatal("no OperationsDashboard with a DashboardBody")
	}
	filled := regexp.MustCompile(`\$\{[^}]+\}`).ReplaceAllString(body, "x")
	var doc struct {
		Widgets []struct {
			Properties struct {
				Title   string  `json:"title"`
				Metrics [][]any `json:"metrics"`
			} `json:"properties"`
		} `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(filled), &doc); err != nil || len(doc.Widgets) < 6 {
		t.Fatalf("dashboard body: %v (%d widgets)", err, len(doc.Widgets))
	}
	emitted := map[string]string{}
	for _, m := range metrics.All {
		emitted[m.Name] = strings.Join(m.Dims, ",")
	}
	search := regexp.MustCompile(`\{ipfast,([A-Za-z,]+)\} MetricName="(\w+)"`)
	shown := map[string]bool{}
	for _, w := range doc.Widgets {
		for _, row := range w.Properties.Metrics {
			for _, item := range row {
				expr := fmt.Sprint(get(item, "expression"))
				for _, m := range search.FindAllStringSubmatch(expr, -1) {
					dims, ok := emitted[m[2]]
					if !ok {
						t.Errorf("widget %q shows %s, which the code never emits", w.Properties.Title, m[2])
					} else if dims != m[1] {
						t.Errorf("widget %q: %s with dimensions %s, the code gives %s", w.Properties.Title, m[2], m[1], dims)
					}
					shown[m[2]] = true
				}
				if strings.Contains(expr, "{ipfast") && !search.MatchString(expr) {
					t.Errorf("widget %q: an ipfast metric the test cannot read: %s", w.Properties.Title, expr)
				}
			}
		}
	}
	for _, m := range metrics.All {
		if !shown[m.Name] {
			t.Errorf("the dashboard does not show %s", m.Name)
		}
	}
}

// evalParams evaluates the intrinsic functions the scheduled actions use (Ref to a parameter,
// Fn::Sub with a variable map, Fn::Select, Fn::Split) on the parameters' defaults.
func evalParams(t *testing.T, v any, params map[string]any) string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok {
			return fmt.Sprint(params[ref])
		}
		if sub, ok := x["Fn::Sub"].([]any); ok && len(sub) == 2 {
			out := fmt.Sprint(sub[0])
			for name, val := range sub[1].(map[string]any) {
				out = strings.ReplaceAll(out, "${"+name+"}", evalParams(t, val, params))
			}
			return out
		}
		if sel, ok := x["Fn::Select"].([]any); ok && len(sel) == 2 {
			split := sel[1].(map[string]any)["Fn::Split"].([]any)
			parts := strings.Split(evalParams(t, split[1], params), fmt.Sprint(split[0]))
			i, _ := strconv.Atoi(fmt.Sprint(sel[0]))
			return parts[i]
		}
	}
	t.Fatalf("cannot evaluate %v", v)
	return ""
}

// TestTemplateWarmAtTheFair: with WarmConcurrency, the api function's alias is warmed by two
// scheduled actions in the fair's time zone: up at FairOpensAt and down to none at
// FairClosesAt, on the fair's days only (the defaults are the built-in expo's dates and zone),
// before the doors open (09:00) and after the halls close (17:00) each day.
func TestTemplateWarmAtTheFair(t *testing.T) {
	tpl := loadTemplate(t)
	params := parameterDefaults(tpl.raw)
	x := filing.DefaultExpo()
	if params["FairStartDate"] != x.StartDate || params["FairEndDate"] != x.EndDate || params["FairTimeZone"] != x.TimeZone {
		t.Errorf("the fair's parameters %v %v %v are not the expo's %s %s %s", params["FairStartDate"], params["FairEndDate"], params["FairTimeZone"],
			x.StartDate, x.EndDate, x.TimeZone)
	}
	if get(tpl.Resources["ApiFunction"], "Properties", "AutoPublishAlias") != "live" {
		t.Fatal("the api function has no alias to warm")
	}
	target := tpl.Resources["WarmAtTheFair"]
	if get(target, "Condition") != "HasWarm" || get(target, "Properties", "ScalableDimension") != "lambda:function:ProvisionedConcurrency" ||
		!strings.HasSuffix(fmt.Sprint(get(target, "Properties", "ResourceId", "Fn::Sub")), ":live") {
		t.Fatalf("scalable target: %v", target)
	}
	// Fire the crons over the year: every firing must be on a fair day, at its hour, in its zone.
	params["FairStartDate"], params["FairEndDate"] = x.StartDate, x.EndDate
	loc, err := time.LoadLocation(evalParams(t, get(get(target, "Properties", "ScheduledActions").([]any)[0], "Timezone"), params))
	if err != nil {
		t.Fatal(err)
	}
	cron := regexp.MustCompile(`^cron\((\d+) (\d+) (\d+)-(\d+) (\d+) \? (\d{4})\)$`)
	fires := map[string][]time.Time{}
	levels := map[string]string{}
	for _, a := range get(target, "Properties", "ScheduledActions").([]any) {
		name := fmt.Sprint(get(a, "ScheduledActionName"))
		expr := evalParams(t, get(a, "Schedule"), params)
		m := cron.FindStringSubmatch(expr)
		if m == nil {
			t.Fatalf("%s: schedule %q", name, expr)
		}
		n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
		for d := time.Date(n(6), 1, 1, 0, 0, 0, 0, loc); d.Year() == n(6); d = d.AddDate(0, 0, 1) {
			if int(d.Month()) == n(5) && d.Day() >= n(3) && d.Day() <= n(4) {
				fires[name] = append(fires[name], time.Date(d.Year(), d.Month(), d.Day(), n(2), n(1), 0, 0, loc))
			}
		}
		levels[name] = evalParams(t, get(a, "ScalableTargetAction", "MinCapacity"), params) + "/" + evalParams(t, get(a, "ScalableTargetAction", "MaxCapacity"), params)
	}
	start, _ := time.ParseInLocation(time.DateOnly, x.StartDate, loc)
	end, _ := time.ParseInLocation(time.DateOnly, x.EndDate, loc)
	days := int(end.Sub(start).Hours()/24) + 1
	if len(fires["fair-opens"]) != days || len(fires["fair-closes"]) != days {
		t.Fatalf("up %d times and down %d times, want each of the %d fair days", len(fires["fair-opens"]), len(fires["fair-closes"]), days)
	}
	for i := range days {
		up, down := fires["fair-opens"][i], fires["fair-closes"][i]
		day := start.AddDate(0, 0, i)
		if up.Format(time.DateOnly) != day.Format(time.DateOnly) || down.Format(time.DateOnly) != day.Format(time.DateOnly) ||
			up.Hour() >= 9 || down.Hour() < 17 || !up.Before(down) {
			t.Errorf("day %s: up at %s, down at %s", day.Format(time.DateOnly), up, down)
		}
	}
	if levels["fair-opens"] != "0/0" || levels["fair-closes"] != "0/0" { // defaults: WarmConcurrency 0
		t.Errorf("levels %v", levels)
	}
	params["WarmConcurrency"] = "20"
	for _, a := range get(target, "Properties", "ScheduledActions").([]any) {
		got := evalParams(t, get(a, "ScalableTargetAction", "MinCapacity"), params)
		if want := map[string]string{"fair-opens": "20", "fair-closes": "0"}[fmt.Sprint(get(a, "ScheduledActionName"))]; got != want {
			t.Errorf("%s: %s provisioned, want %s", get(a, "ScheduledActionName"), got, want)
		}
	}
}
