/*
 * antq.js: Vietnamese number formatting for ECharts options, shared by the
 * page in the browser and by the server-side renderer (dashboard/chart, in goja).
 *
 * Option JSON cannot carry functions, so the Go option builders put sentinel
 * strings where ECharts takes a formatter, and antq.revive(option) replaces
 * them with functions before setOption:
 *
 *   "antq:number:D[:SUFFIX]"  value -> "2.025" / "75,6" (D decimals) + SUFFIX
 *   "antq:percent:D"          value -> "75,6%"
 *   "antq:pie:D[:SUFFIX]"     pie label -> "Name: 2.025 (12,3%)"
 *   "antq:region:D[:SUFFIX]"  map tooltip -> "<regionName>: 2.025" (or "không có số liệu")
 *   "antq:regionname"         map label -> the region's display name
 *
 * antq.number must give the same text as chart.FormatNumber in Go: dot for
 * thousands, comma for decimals, halves rounded away from zero.
 * Written in ES5 so it runs unchanged in goja and in old browsers.
 */
(function (root) {
  'use strict';

  function number(v, decimals) {
    if (typeof v === 'string' && v !== '' && v !== '-') {
      v = Number(v);
    }
    if (typeof v !== 'number' || !isFinite(v)) {
      return '';
    }
    var d = decimals > 0 ? decimals : 0;
    var s = Math.abs(v).toFixed(d);
    var parts = s.split('.');
    var ints = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    var neg = v < 0 && /[1-9]/.test(s);
    return (neg ? '-' : '') + ints + (parts.length > 1 ? ',' + parts[1] : '');
  }

  // valueOf takes what ECharts passes to a formatter: a raw value (axis
  // labels, valueFormatter) or a params object (series labels, tooltips).
  function valueOf(arg) {
    if (arg !== null && typeof arg === 'object' && !(arg instanceof Array)) {
      arg = arg.value;
    }
    if (arg instanceof Array) {
      arg = arg[arg.length - 1];
    }
    return arg;
  }

  function regionName(p) {
    var d = p && p.data;
    return (d && d.regionName) || (p && p.name) || '';
  }

  function make(spec) {
    var f = spec.split(':');
    var kind = f[1];
    var d = parseInt(f[2], 10) || 0;
    var suffix = f.length > 3 ? f.slice(3).join(':') : '';
    switch (kind) {
      case 'number':
        return function (arg) {
          var s = number(valueOf(arg), d);
          return s === '' ? '' : s + suffix;
        };
      case 'percent':
        return function (arg) {
          var s = number(valueOf(arg), d);
          return s === '' ? '' : s + '%';
        };
      case 'pie':
        return function (p) {
          return p.name + ': ' + number(p.value, d) + suffix + ' (' + number(p.percent, 1) + '%)';
        };
      case 'region':
        return function (p) {
          var s = number(valueOf(p), d);
          var why = p && p.data && p.data.noData ? ' (' + p.data.noData + ')' : '';
          return regionName(p) + ': ' + (s === '' ? 'không có số liệu' + why : s + suffix);
        };
      case 'regionname':
        return regionName;
    }
    return null;
  }

  function revive(o) {
    if (o instanceof Array) {
      for (var i = 0; i < o.length; i++) {
        o[i] = revive(o[i]);
      }
      return o;
    }
    if (o === null || typeof o !== 'object') {
      return o;
    }
    for (var k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) {
        continue;
      }
      var v = o[k];
      if ((k === 'formatter' || k === 'valueFormatter') && typeof v === 'string' && v.indexOf('antq:') === 0) {
        var fn = make(v);
        if (fn) {
          o[k] = fn;
        }
      } else if (v !== null && typeof v === 'object') {
        revive(v);
      }
    }
    return o;
  }

  root.antq = { number: number, revive: revive };
})(typeof globalThis !== 'undefined' ? globalThis : this);
