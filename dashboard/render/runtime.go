package render

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

// prelude gives echarts.min.js what it expects from a CommonJS host: module
// and exports, a global object and timers. Timers are no-ops because
// rendering is synchronous with animation off. require serves langVI.js,
// which asks for 'echarts/lib/echarts'.
const prelude = `
var global = this, self = this;
var module = {exports: {}}, exports = module.exports;
function setTimeout() { return 0; }
function clearTimeout() {}
function setInterval() { return 0; }
function clearInterval() {}
function require(name) { return global.echarts; }
`

// afterECharts names the module and defines the render entry point.
const afterECharts = `
var echarts = module.exports;
function __antqRender(optionJSON, width, height, fontFamily) {
	var option = antq.revive(JSON.parse(optionJSON));
	option.animation = false;
	option.textStyle = option.textStyle || {};
	if (!option.textStyle.fontFamily) { option.textStyle.fontFamily = fontFamily; }
	if (option.backgroundColor === undefined) { option.backgroundColor = '#ffffff'; }
	var chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width: width, height: height, locale: 'VI'});
	try {
		chart.setOption(option);
		return chart.renderToSVGString();
	} finally {
		chart.dispose();
	}
}
function __antqRegisterMap(name, geoJSON) {
	echarts.registerMap(name, JSON.parse(geoJSON));
}
`

// programs are the compiled scripts every runtime runs once. A goja.Program
// is not tied to a runtime, so compiling once saves each new runtime the parse.
type programs struct {
	prelude, echarts, locale, antq, after *goja.Program
}

func compile(echartsJS, localeJS, antqJS []byte) (*programs, error) {
	var p programs
	var err error
	for _, c := range []struct {
		dst  **goja.Program
		name string
		src  string
	}{
		{&p.prelude, "prelude.js", prelude},
		{&p.echarts, "echarts.min.js", string(echartsJS)},
		{&p.antq, "antq.js", string(antqJS)},
		{&p.locale, "langVI.js", string(localeJS)},
		{&p.after, "render.js", afterECharts},
	} {
		if *c.dst, err = goja.Compile(c.name, c.src, false); err != nil {
			return nil, fmt.Errorf("compile %s: %w", c.name, err)
		}
	}
	return &p, nil
}

// runtime is one goja VM with ECharts loaded. Only one goroutine uses it at a
// time (the pool hands it out).
type runtime struct {
	vm       *goja.Runtime
	render   goja.Callable
	register goja.Callable
	maps     map[string]string // map name -> version registered in this VM
}

func newRuntime(p *programs) (*runtime, error) {
	vm := goja.New()
	// echarts.min.js reads module.exports after `module` is set up; the
	// locale needs global.echarts, which afterECharts defines, so it runs last
	// but one.
	for _, s := range []struct {
		name string
		prog *goja.Program
	}{
		{"prelude", p.prelude}, {"echarts.min.js", p.echarts}, {"antq.js", p.antq},
		{"render.js", p.after}, {"langVI.js", p.locale},
	} {
		if _, err := vm.RunProgram(s.prog); err != nil {
			return nil, fmt.Errorf("load %s: %w", s.name, err)
		}
	}
	rt := &runtime{vm: vm, maps: map[string]string{}}
	var ok bool
	if rt.render, ok = goja.AssertFunction(vm.Get("__antqRender")); !ok {
		return nil, errors.New("load echarts: render function missing")
	}
	if rt.register, ok = goja.AssertFunction(vm.Get("__antqRegisterMap")); !ok {
		return nil, errors.New("load echarts: registerMap function missing")
	}
	return rt, nil
}

// run calls fn on the VM and interrupts it when ctx ends. It reports whether
// the VM was interrupted: an interrupted VM may hold a half-built chart and
// is dropped, not reused.
func (rt *runtime) run(ctx context.Context, fn func() error) (interrupted bool, err error) {
	stop := context.AfterFunc(ctx, func() { rt.vm.Interrupt(ctx.Err()) })
	err = fn()
	if !stop() {
		// The interrupt fired (or is firing): the VM is no longer trusted.
		rt.vm.ClearInterrupt()
		interrupted = true
		if err == nil {
			err = ctx.Err()
		}
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		if cause, ok := ie.Value().(error); ok {
			err = cause
		}
		interrupted = true
	}
	return interrupted, err
}

// ensureMap registers geoJSON as name unless this VM has that version.
func (rt *runtime) ensureMap(name, version string, geoJSON func() ([]byte, error)) error {
	if rt.maps[name] == version {
		return nil
	}
	b, err := geoJSON()
	if err != nil {
		return err
	}
	if _, err := rt.register(goja.Undefined(), rt.vm.ToValue(name), rt.vm.ToValue(string(b))); err != nil {
		delete(rt.maps, name)
		return fmt.Errorf("register map %s: %w", name, err)
	}
	rt.maps[name] = version
	return nil
}

// svg renders one option; it must follow ensureMap for every map it uses.
func (rt *runtime) svg(optionJSON []byte, width, height int, fontFamily string) (string, error) {
	v, err := rt.render(goja.Undefined(),
		rt.vm.ToValue(string(optionJSON)), rt.vm.ToValue(width), rt.vm.ToValue(height), rt.vm.ToValue(fontFamily))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// pool hands out at most size runtimes, creating them on first need.
type pool struct {
	progs  *programs
	idle   chan *runtime
	tokens chan struct{} // one per runtime that may still be created

	mu      sync.Mutex
	created int // for Stats
}

func newPool(p *programs, size int) *pool {
	pl := &pool{progs: p, idle: make(chan *runtime, size), tokens: make(chan struct{}, size)}
	for range size {
		pl.tokens <- struct{}{}
	}
	return pl
}

func (p *pool) get(ctx context.Context) (*runtime, error) {
	select { // an idle runtime first: creating one costs ≈ 0.2 s
	case rt := <-p.idle:
		return rt, nil
	default:
	}
	select {
	case rt := <-p.idle:
		return rt, nil
	case <-p.tokens:
		rt, err := newRuntime(p.progs)
		if err != nil {
			p.tokens <- struct{}{}
			return nil, err
		}
		p.mu.Lock()
		p.created++
		p.mu.Unlock()
		return rt, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// put returns rt to the pool, or drops it (freeing its slot) when broken.
func (p *pool) put(rt *runtime, broken bool) {
	if broken {
		p.tokens <- struct{}{}
		return
	}
	p.idle <- rt
}
