package libchdb

import (
	"bytes"
	"os/exec"
	"time"
	"unsafe"
)

func uintptrOf(p *[4]uintptr) uintptr { return uintptr(unsafe.Pointer(p)) }

func runWithTimeout(cmd *exec.Cmd, seconds int) (string, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(time.Duration(seconds) * time.Second):
		cmd.Process.Kill()
		<-done
		return out.String() + "\n(killed: hung for " + time.Duration(seconds*int(time.Second)).String() + ")", nil
	}
}
