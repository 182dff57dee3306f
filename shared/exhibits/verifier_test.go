package exhibits_test

// verifyFromDocs is a verifier written from docs/certificates.md alone, with the standard
// library only (no code of ipfast, no JOSE library): what an attorney's or an office's own
// tool would do with a scanned QR code and the published keys.

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

func verifyFromDocs(qr string, jwks []byte) ([]byte, error) {
	// 1. The JWS is what follows the last "#" of the QR text.
	jws := qr[strings.LastIndex(qr, "#")+1:]
	// 2. Three base64url parts (no padding): header, payload, signature.
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	dec := base64.RawURLEncoding.Strict()
	header, err := dec.DecodeString(parts[0])
	if err != nil {
		return nil, err
	}
	payload, err := dec.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	sig, err := dec.DecodeString(parts[2])
	if err != nil {
		return nil, err
	}
	// 3. The header names the algorithm, the type and the key.
	var h struct{ Alg, Kid, Typ string }
	if err := json.Unmarshal(header, &h); err != nil || h.Alg != "EdDSA" || h.Typ != "ipfast-ec+jws" {
		return nil, errors.New("not an ipfast certificate")
	}
	// 4. The key of that id from the JWK set (GET /v1/keys): OKP, Ed25519, x base64url.
	var set struct {
		Keys []struct{ Kty, Crv, X, Kid string }
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		return nil, err
	}
	for _, k := range set.Keys {
		if k.Kid != h.Kid || k.Kty != "OKP" || k.Crv != "Ed25519" {
			continue
		}
		pub, err := dec.DecodeString(k.X)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return nil, errors.New("bad key")
		}
		// 5. The signature is over the ASCII of "<header part>.<payload part>".
		if !ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
			return nil, errors.New("the signature does not verify")
		}
		return payload, nil
	}
	return nil, errors.New("unknown key")
}
