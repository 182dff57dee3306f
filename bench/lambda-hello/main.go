// Command lambda-hello is the reference the benchmarks hold the functions against: the
// smallest aws-lambda-go function, built the same way (-tags lambda.norpc, -s -w).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, in map[string]any) (string, error) { return "hello", nil })
}
