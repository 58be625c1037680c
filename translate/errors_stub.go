package translate

import "github.com/tidwall/sjson"

func sjsonSetError(msg string) ([]byte, error) {
	b, _ := sjson.SetBytes([]byte(`{"success":false}`), "error", msg)
	return b, nil
}
