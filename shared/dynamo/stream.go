package dynamo

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/ipfast/ipfast/shared/filing"
)

// Target is a filing that a stream record asks to be sent to its review queue.
type Target struct {
	FilingID string
	Queue    string
	RouteSeq int
}

// image is the few attributes of a stream image the router reads.
type image map[string]string

// target decides whether a change needs routing: a filing row whose routeSeq is new (created, or
// sent back to queued). Events, counters and idempotency rows never do.
func target(newImg, oldImg image) (Target, bool) {
	if newImg == nil || newImg["sk"] != "F" || newImg["queue"] == "" {
		return Target{}, false
	}
	seq, err := strconv.Atoi(newImg["routeSeq"])
	if err != nil || seq == 0 || (oldImg != nil && oldImg["routeSeq"] == newImg["routeSeq"]) {
		return Target{}, false
	}
	id := newImg["pk"]
	if len(id) < 3 || id[:2] != "F#" {
		return Target{}, false
	}
	return Target{FilingID: id[2:], Queue: newImg["queue"], RouteSeq: seq}, true
}

// Route sends a filing to its queue. The message id names the filing and the routing, so a
// receiver can tell a redelivery from a new routing.
func Route(ctx context.Context, q filing.Queue, t Target) error {
	return q.Send(ctx, t.Queue, filing.RoutingMessage(t.FilingID, t.RouteSeq))
}

func lambdaImage(m map[string]events.DynamoDBAttributeValue) image {
	if m == nil {
		return nil
	}
	img := image{}
	for _, k := range []string{"pk", "sk", "queue", "routeSeq"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		switch v.DataType() {
		case events.DataTypeString:
			img[k] = v.String()
		case events.DataTypeNumber:
			img[k] = v.Number()
		}
	}
	return img
}

// StreamTarget is target() for records read through the DynamoDB Streams API.
func StreamTarget(newImg, oldImg map[string]types.AttributeValue) (Target, bool) {
	return target(streamImage(newImg), streamImage(oldImg))
}

func streamImage(m map[string]types.AttributeValue) image {
	if m == nil {
		return nil
	}
	img := image{}
	for _, k := range []string{"pk", "sk", "queue", "routeSeq"} {
		switch v := m[k].(type) {
		case *types.AttributeValueMemberS:
			img[k] = v.Value
		case *types.AttributeValueMemberN:
			img[k] = v.Value
		}
	}
	return img
}

// HandleStream is the router Lambda's handler: it routes each record in order and, at the
// first failure, reports that record and stops, so that Lambda retries from there
// (ReportBatchItemFailures) and nothing after it is routed out of order or lost.
func HandleStream(ctx context.Context, q filing.Queue, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	for _, r := range ev.Records {
		t, ok := target(lambdaImage(r.Change.NewImage), lambdaImage(r.Change.OldImage))
		if !ok {
			continue
		}
		if err := Route(ctx, q, t); err != nil {
			slog.ErrorContext(ctx, "route filing", "filing", t.FilingID, "queue", t.Queue, "error", err.Error())
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
			return resp, nil
		}
	}
	return resp, nil
}
