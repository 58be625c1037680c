package proxy

import (
	"errors"

	"github.com/tidwall/gjson"
)

func sjsonGet(body []byte, path string) (string, error) {
	v := gjson.GetBytes(body, path)
	if !v.Exists() {
		return "", errors.New("missing " + path)
	}
	return v.String(), nil
}
