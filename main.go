package main

import (
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/gorilla/mux"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/tidwall/gjson"
	_ "github.com/tidwall/sjson"
	_ "go.uber.org/goleak"
	_ "go.uber.org/zap"
	_ "go.yaml.in/yaml/v3"
)

func main() {}
