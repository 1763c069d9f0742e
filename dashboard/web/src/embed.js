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
      if (!r.ok) { var e = new Error(r.status + ' ' + url); e.status = r.status; throw e; }
      return r.json();
    }, function () { var e = new Error('network ' + url); e.status = 0; throw e; });
  }

  // problem is the sentence an iframe shows when the chart cannot be drawn
  // (the raw status and URL stay out of the page).
  function problem(err) {
    switch (err && err.status) {
      case 0: return 'Không kết nối được máy chủ ANTQ Atlas. Kiểm tra mạng rồi thử lại.';
      case 403: return 'Liên kết nhúng không còn hiệu lực (hết hạn hoặc không hợp lệ). Xin người gửi tạo liên kết mới.';
      case 404: return 'Không tìm thấy số liệu của biểu đồ này.';
      case 429: return 'Máy chủ đang nhận quá nhiều yêu cầu. Đợi một lát rồi thử lại.';
      case 503: return 'Máy chủ tạm thời chưa trả lời được. Thử lại sau ít phút.';
    }
    return 'Không vẽ được biểu đồ do máy chủ gặp lỗi. Thử lại sau.';
  }

  var chart = null;

  function start() {
    var name = location.pathname.split('/').pop();
    var q = new URLSearchParams(location.search);
    if (!chart) { chart = echarts.init($('chart'), null, { locale: 'VI' }); }
    var old = document.querySelector('.embed-retry');
    if (old) { old.parentNode.removeChild(old); }
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
      $('chart').setAttribute('role', 'img');
      $('chart').setAttribute('aria-label', $('title').textContent + ' — ' + $('sub').textContent);
      document.body.setAttribute('data-ready', '1');
    }, function (err) {
      $('title').textContent = problem(err);
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'button embed-retry';
      b.textContent = 'Thử lại';
      b.addEventListener('click', start);
      $('title').parentNode.appendChild(b);
      document.body.setAttribute('data-ready', 'error');
    });
  }

  function boot() {
    start();
    // The chart follows its container (the iframe, or a box resized inside it).
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (chart) { chart.resize(); } }).observe($('chart'));
    } else {
      window.addEventListener('resize', function () { if (chart) { chart.resize(); } });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', boot);
  } else {
    boot();
  }
})();
