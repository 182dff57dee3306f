// Package outbox routes filings from the filing table's stream to their review queues: the
// table is a transactional outbox (a filing and the request to route it are one write), and
// this package is its consumer. The same consumer keeps the search index (dynamo.IndexChange). HandleStream is the router function's handler for DynamoDB
// Streams events from Lambda; Poller reads the same stream through the DynamoDB Streams API for
// `ipfast serve -backend aws`. How a change record asks for routing is the storage adapter's
// knowledge (dynamo.ChangedRouting); where it goes is the filing.Queue port's.
package outbox

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/filing"
)

// Target is a filing that a change record asks to be sent to its queue, the Seq-th time.
type Target struct {
	FilingID string
	Queue    string
	Seq      int
}

func targetOf(newImg, oldImg map[string]string) (Target, bool) {
	id, queue, seq, ok := dynamo.ChangedRouting(newImg, oldImg)
	return Target{FilingID: id, Queue: queue, Seq: seq}, ok
}

// Route sends a filing to its queue (filing.RoutingMessage: the id names the filing and the
// routing, so a receiver can tell a redelivery from a new routing).
func Route(ctx context.Context, q filing.Queue, t Target) error {
	return q.Send(ctx, t.Queue, filing.RoutingMessage(t.FilingID, t.Seq))
}

// lambdaImage reads the attributes routing needs from a Lambda stream record's image.
func lambdaImage(m map[string]events.DynamoDBAttributeValue) map[string]string {
	if m == nil {
		return nil
	}
	img := map[string]string{}
	for _, k := range dynamo.ChangeAttributes {
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

// streamImage reads them from a record of the DynamoDB Streams API.
func streamImage(m map[string]types.AttributeValue) map[string]string {
	if m == nil {
		return nil
	}
	img := map[string]string{}
	for _, k := range dynamo.ChangeAttributes {
		switch v := m[k].(type) {
		case *types.AttributeValueMemberS:
			img[k] = v.Value
		case *types.AttributeValueMemberN:
			img[k] = v.Value
		}
	}
	return img
}

// Indexer brings the search index up to a change of the table (dynamo.Store.IndexChange).
type Indexer func(ctx context.Context, newImg, oldImg map[string]string) error

// apply does what one change record asks: the index first, then the routing. Both may be
// done twice when a record is read again, with the same result.
func apply(ctx context.Context, q filing.Queue, idx Indexer, newImg, oldImg map[string]string) (routed bool, err error) {
	if err := idx(ctx, newImg, oldImg); err != nil {
		return false, err
	}
	t, ok := targetOf(newImg, oldImg)
	if !ok {
		return false, nil
	}
	if err := Route(ctx, q, t); err != nil {
		return false, fmt.Errorf("route %s to %s: %w", t.FilingID, t.Queue, err)
	}
	return true, nil
}

// HandleStream is the router function's handler: it indexes and routes each record in order
// and, at the first failure, reports that record and stops, so that Lambda retries from there
// (ReportBatchItemFailures) and nothing after it is routed out of order or lost.
func HandleStream(ctx context.Context, q filing.Queue, idx Indexer, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	for _, r := range ev.Records {
		if _, err := apply(ctx, q, idx, lambdaImage(r.Change.NewImage), lambdaImage(r.Change.OldImage)); err != nil {
			slog.ErrorContext(ctx, "router", "record", r.Change.SequenceNumber, "error", err.Error())
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: r.Change.SequenceNumber}}
			return resp, nil
		}
	}
	return resp, nil
}
