/*
 * embed.js: one live chart for an iframe (/embed/{name}?…&exp=&sig=). The
 * server has checked the link's signature before sending this page; the
 * chart's option comes from /charts/{name}.json with the link's exact
 * parameters, exp= and sig= included (they admit the data requests when the
 * server requires a login), and a map's geometry from the GeoJSON URL the
 * option names, which carries the same parameters.
 */
(function () {
  'use strict';

  function $(id) { return document.getElementById(id); }

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status + ' ' + url); }
      return r.json();
    });
  }

  function start() {
    var name = location.pathname.split('/').pop();
    var q = new URLSearchParams(location.search);
    var chart = echarts.init($('chart'), null, { locale: 'VI' });
    getJSON('/charts/' + encodeURIComponent(name) + '.json?' + q.toString()).then(function (opt) {
      var meta = opt.antq || {};
      delete opt.antq;
      antq.revive(opt);
      opt.animation = false;
      $('title').textContent = meta.slide.title;
      $('sub').textContent = meta.slide.subtitle;
      $('foot').textContent = meta.slide.footnote;
      if (!meta.map) { return opt; }
      return getJSON(meta.map.url).then(function (fc) {
        echarts.registerMap(meta.map.name, fc);
        return opt;
      });
    }).then(function (opt) {
      chart.setOption(opt);
      document.body.setAttribute('data-ready', '1');
    }, function (err) {
      $('title').textContent = String(err.message || err);
    });
    window.addEventListener('resize', function () { chart.resize(); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
