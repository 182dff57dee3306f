// Command pages is the pages function: the kiosk, the examiner console, the supervisor's
// dashboard and the complaint desk with their assets (package web), for GET / and every path
// the API does not route. The API function serves only the API, so neither carries the other.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/ipfast/ipfast/web"
)

func main() {
	lambda.Start(httpadapter.NewV2(web.Handler()).ProxyWithContext)
}
