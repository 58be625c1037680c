package main

import "net"

// listenTCP binds now, so a bad address fails before anything is printed.
func listenTCP(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
