/*
 * app.js: the ANTQ Atlas page. Vanilla JavaScript, no build step; ECharts
 * and antq.js (antq.revive, antq.number) are loaded before it from /assets.
 *
 * The choropleth is drawn here from /api/v1/map.geojson (regions keyed on
 * the commune code, never the name); the other charts take their option from
 * /charts/{name}.json, built on the server by the same Go code that renders
 * the SVG/PNG downloads. Every fetch goes to this server: no CDN, no tiles.
 * No inline script, style or event handler (the page runs under a strict CSP).
 */
(function () {
  'use strict';

  var DICT = {
    vi: {
      title: 'ANTQ Atlas',
      tagline: 'Phong trào Toàn dân bảo vệ an ninh Tổ quốc: mô hình, điểm mô hình và hiệu quả trên các xã, phường từ 01/7/2025',
      briefing: 'Bản tin PowerPoint', langSwitch: 'English',
      synthetic: 'Dữ liệu mô phỏng — không phải số liệu thật',
      province: 'Tỉnh, thành phố', metric: 'Chỉ tiêu', period: 'Kỳ số liệu', from: 'Từ ngày', to: 'Đến ngày',
      national: 'Toàn quốc (theo tỉnh)', compare: 'So sánh', cmpWith: 'So sánh với', cmpPrev: 'Cùng kỳ năm trước', cmpYear: 'Năm ', cmpNone: 'Không so sánh', cmpDelta: 'Thay đổi so với cùng kỳ', cmpSide: 'Hai kỳ cạnh nhau',
      showSites: 'Điểm mô hình trên bản đồ',
      policeYears: 'Năm công an (15/12–14/12)', policeYear: 'Năm công an ', halves: '6 tháng', quarters: 'Quý',
      half1: '6 tháng đầu năm ', half2: '6 tháng cuối năm ', quarter: 'Quý ', postMerger: 'Từ 01/7/2025 (sau sáp nhập)', custom: 'Tùy chọn…',
      headline: 'Số liệu chính', trend: 'Diễn biến theo năm công an', breakdown: 'Cơ cấu điểm mô hình',
      byType: 'Theo loại mô hình', bySector: 'Theo lĩnh vực', ranking: 'Xếp hạng xã, phường', top: 'Dẫn đầu', bottom: 'Cuối bảng',
      figures: 'Số liệu', metricCol: 'Chỉ tiêu', valueCol: 'Giá trị', rankCol: 'Hạng', provinceCol: 'Toàn tỉnh', provinceColCity: 'Toàn thành phố',
      trendCommune: 'Diễn biến', modelsList: 'Mô hình', sitesList: 'Điểm mô hình', backToProvince: '‹ Về toàn tỉnh',
      embedLink: 'Liên kết nhúng', embedLife: 'Hiệu lực', embedExpires: 'hết hạn ', day: ' ngày', days: ' ngày', year: '1 năm', close: 'Đóng', embed: 'Nhúng',
      footer: 'ANTQ Atlas — bản đồ, biểu đồ và số liệu chạy hoàn toàn trên máy chủ nội bộ.',
      noData: 'không có số liệu', former: 'Gồm đơn vị cũ: ', part: ' (một phần)', rank: 'Hạng ',
      deltaTitle: 'Thay đổi so với cùng kỳ: ', mapOf: ' — ', earlier: 'Kỳ so sánh: ', later: 'Kỳ hiện tại: ',
      area: 'Diện tích ', population: 'Dân số ', sitesShown: ' điểm có tọa độ', exemplary: 'tiêu biểu toàn quốc', advanced: 'điển hình tiên tiến',
      login: 'Đăng nhập', loginGo: 'Đăng nhập', user: 'Tên đăng nhập', password: 'Mật khẩu', logout: 'Đăng xuất',
      loginFailed: 'Sai tên đăng nhập hoặc mật khẩu, hoặc thử quá nhiều lần.',
      findings: 'Điểm cần chú ý', findingsNone: 'Không có điểm nào vượt ngưỡng.', findingsFoot: 'So với cùng kỳ năm trước; chỉ xét xã có từ 10 trường hợp. ',
      more: '… và còn ', moreTail: ' điểm', pp: 'điểm phần trăm', loading: 'Đang tải…', communeKinds: { 'xã': 'Xã', 'phường': 'Phường', 'đặc khu': 'Đặc khu', 'tỉnh': 'Tỉnh', 'thành phố': 'Thành phố' }
    },
    en: {
      title: 'ANTQ Atlas',
      login: 'Sign in', loginGo: 'Sign in', user: 'User name', password: 'Password', logout: 'Sign out',
      loginFailed: 'Wrong user name or password, or too many attempts.',
      tagline: 'The “All people protect national security” movement: models, sites and effectiveness on the communes in force since 1 July 2025',
      briefing: 'PowerPoint briefing', langSwitch: 'Tiếng Việt',
      synthetic: 'Synthetic demo data — not real figures',
      province: 'Province', metric: 'Metric', period: 'Period', from: 'From', to: 'To',
      national: 'Whole country (by province)', compare: 'Compare', cmpWith: 'Compare with', cmpPrev: 'Same period a year earlier', cmpYear: 'Year ', cmpNone: 'No comparison', cmpDelta: 'Change on the same period', cmpSide: 'Two periods side by side',
      showSites: 'Sites on the map',
      policeYears: 'Police years (15/12–14/12)', policeYear: 'Police year ', halves: 'Half-years', quarters: 'Quarters',
      half1: 'First half ', half2: 'Second half ', quarter: 'Quarter ', postMerger: 'Since 1 July 2025 (after the merger)', custom: 'Custom…',
      headline: 'Headline figures', trend: 'Trend by police year', breakdown: 'Sites by group',
      byType: 'By model type', bySector: 'By sector', ranking: 'Commune ranking', top: 'Top', bottom: 'Bottom',
      figures: 'Figures', metricCol: 'Metric', valueCol: 'Value', rankCol: 'Rank', provinceCol: 'Province', provinceColCity: 'City',
      trendCommune: 'Trend', modelsList: 'Models', sitesList: 'Sites', backToProvince: '‹ Back to the province',
      embedLink: 'Embed link', embedLife: 'Valid for', embedExpires: 'expires ', day: ' day', days: ' days', year: '1 year', close: 'Close', embed: 'Embed',
      footer: 'ANTQ Atlas — maps, charts and figures served entirely from the local server.',
      noData: 'no data', former: 'Former units: ', part: ' (part)', rank: 'Rank ',
      deltaTitle: 'Change on the same period: ', mapOf: ' — ', earlier: 'Comparison: ', later: 'Current: ',
      area: 'Area ', population: 'Population ', sitesShown: ' sites with a point', exemplary: 'nationally exemplary', advanced: 'advanced example',
      findings: 'Points to watch', findingsNone: 'Nothing crosses a threshold.', findingsFoot: 'Against the same period a year earlier; only communes with at least 10 cases. ',
      more: '… and ', moreTail: ' more sites', pp: 'percentage points', loading: 'Loading…', communeKinds: { 'xã': 'Commune', 'phường': 'Ward', 'đặc khu': 'Special zone', 'tỉnh': 'Province', 'thành phố': 'City' }
    }
  };

  // Class colours, breaks and labels come from the server (antq.classes,
  // classes_both and, for the change map, classes_delta of map.geojson).
  var NO_DATA = '#404040';
  // Why a commune has no value (the reason codes of map.geojson).
  var REASONS = {
    vi: { no_reports: 'không có báo cáo', period_not_started: 'kỳ chưa bắt đầu', partial_period: 'kỳ chưa kết thúc, chưa có báo cáo',
      not_applicable: 'không áp dụng', insufficient_components: 'không đủ chỉ tiêu thành phần' },
    en: { no_reports: 'no reports', period_not_started: 'period not started', partial_period: 'period not over, not reported yet',
      not_applicable: 'not applicable', insufficient_components: 'insufficient components' }
  };

  var state = {
    lang: 'vi', province: '08', metric: 'sites', period: '', from: '', to: '',
    compare: 'none', cmpwith: 'prev', sites: false, by: 'model_type', commune: ''
  };
  var policeYear = 2025;
  var provinces = [];
  var metrics = {};
  var communes = {};     // code -> commune (names, former units) of the current province
  var registered = {};   // map names already given to ECharts
  var charts = {};
  var generation = 0;
  var lastMap = null;

  function $(id) { return document.getElementById(id); }
  function t(key) { return DICT[state.lang][key] || DICT.vi[key] || key; }

  // ---- fetching --------------------------------------------------------

  // needLogin marks an answer that asks the visitor to sign in (401).
  var needLogin = new Error('login');

  function getJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      if (r.status === 401) {
        showLogin();
        throw needLogin;
      }
      if (!r.ok) {
        return r.json().then(function (b) {
          throw apiError(r.status, b && b.error, url);
        }, function () { throw apiError(r.status, null, url); });
      }
      return r.json();
    }, function (e) {
      if (e === needLogin) { throw e; }
      throw apiError(0, null, url); // no answer: the network or the server is down
    });
  }

  function qs(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      if (v !== undefined && v !== null && v !== '') {
        parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v));
      }
    });
    return parts.join('&');
  }

  // windowParams is the period as the API takes it.
  function windowParams() {
    if (state.period === 'custom') {
      return { from: state.from, to: state.to };
    }
    return { period: state.period };
  }

  function baseParams(extra) {
    var p = { province: state.province, metric: state.metric };
    var w = windowParams();
    Object.keys(w).forEach(function (k) { p[k] = w[k]; });
    if (extra) { Object.keys(extra).forEach(function (k) { p[k] = extra[k]; }); }
    return p;
  }

  function showError(err) {
    if (err === needLogin) { return; }
    var box = $('error');
    if (!err) { box.classList.add('hidden'); box.textContent = ''; return; }
    errorBanner(box, err);
  }

  // ---- numbers and words ---------------------------------------------

  function fmt(v, m) {
    if (v === null || v === undefined || v === '-') { return t('noData'); }
    var s = antq.number(v, m ? m.decimals : 0);
    if (m && m.percent) { return s + '%'; }
    return s;
  }

  function metricLabel(m) { return state.lang === 'en' ? m.label_en : m.label_vi; }
  function unitOf(m) { return state.lang === 'en' ? m.unit_en : m.unit_vi; }
  function windowLabel(w) { return w ? (state.lang === 'en' ? w.label_en : w.label_vi) : ''; }
  function provinceName() {
    for (var i = 0; i < provinces.length; i++) {
      if (provinces[i].code === state.province) { return provinces[i].name; }
    }
    return state.province;
  }

  function applyI18n() {
    document.documentElement.lang = state.lang;
    var els = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = t(els[i].getAttribute('data-i18n'));
    }
  }

  // ---- pickers ---------------------------------------------------------

  function option(sel, value, text) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    sel.appendChild(o);
    return o;
  }

  function fillProvinces() {
    var sel = $('province');
    sel.textContent = '';
    option(sel, 'all', t('national'));
    provinces.forEach(function (p) { option(sel, p.code, p.name); });
    sel.value = state.province;
  }

  function fillMetrics() {
    var sel = $('metric');
    sel.textContent = '';
    Object.keys(metrics).forEach(function (id) { option(sel, id, metricLabel(metrics[id])); });
    sel.value = state.metric;
  }

  function fillPeriods() {
    var sel = $('period');
    sel.textContent = '';
    var y, g;
    g = document.createElement('optgroup');
    g.label = t('policeYears');
    for (y = policeYear; y >= 2022; y--) { option(g, String(y), t('policeYear') + y); }
    sel.appendChild(g);
    g = document.createElement('optgroup');
    g.label = t('halves');
    for (y = policeYear; y >= 2022; y--) {
      option(g, y + 'H2', t('half2') + y);
      option(g, y + 'H1', t('half1') + y);
    }
    sel.appendChild(g);
    g = document.createElement('optgroup');
    g.label = t('quarters');
    for (y = policeYear; y >= 2022; y--) {
      for (var q = 4; q >= 1; q--) { option(g, y + 'Q' + q, t('quarter') + q + '/' + y); }
    }
    sel.appendChild(g);
    option(sel, 'post-merger', t('postMerger'));
    option(sel, 'custom', t('custom'));
    sel.value = state.period;
    // Compare with: the same period a year earlier, or any police year.
    var cw = $('cmpwith');
    cw.textContent = '';
    option(cw, 'prev', t('cmpPrev'));
    for (y = policeYear; y >= 2022; y--) { option(cw, String(y), t('cmpYear') + y); }
    cw.value = state.cmpwith;
  }

  function syncControls() {
    $('province').value = state.province;
    $('metric').value = state.metric;
    $('period').value = state.period;
    $('compare').value = state.compare;
    $('cmpwith').value = state.cmpwith;
    $('sites').checked = state.sites;
    $('by').value = state.by;
    $('from').value = state.from;
    $('to').value = state.to;
    var custom = state.period === 'custom';
    $('from-box').classList.toggle('hidden', !custom);
    $('to-box').classList.toggle('hidden', !custom);
  }

  // The state lives in the URL too, so a view can be shared and reloaded.
  function saveURL() {
    var p = { province: state.province, metric: state.metric, compare: state.compare === 'none' ? '' : state.compare,
      cmpwith: state.cmpwith === 'prev' ? '' : state.cmpwith,
      sites: state.sites ? '1' : '', by: state.by === 'model_type' ? '' : state.by, lang: state.lang === 'vi' ? '' : state.lang,
      commune: state.commune };
    var w = windowParams();
    Object.keys(w).forEach(function (k) { p[k] = w[k]; });
    if (state.period === 'custom') { p.period = 'custom'; }
    history.replaceState(null, '', '?' + qs(p));
  }

  function loadURL() {
    var q = new URLSearchParams(location.search);
    ['province', 'metric', 'period', 'from', 'to', 'compare', 'cmpwith', 'by', 'lang', 'commune'].forEach(function (k) {
      if (q.get(k)) { state[k] = q.get(k); }
    });
    state.sites = q.get('sites') === '1';
    if (state.lang !== 'en') { state.lang = 'vi'; }
    if (['none', 'delta', 'side'].indexOf(state.compare) < 0) { state.compare = 'none'; }
  }

  // ---- charts ------------------------------------------------------------

  function chartOf(id) {
    if (!charts[id]) {
      charts[id] = echarts.init($(id), null, { renderer: 'canvas', locale: 'VI' });
    }
    return charts[id];
  }

  function link(parent, href, text, download) {
    var a = document.createElement('a');
    a.className = 'button';
    a.href = href;
    a.textContent = text;
    if (download) { a.setAttribute('download', ''); }
    parent.appendChild(a);
    return a;
  }

  // EMBED_DAYS are the lives an embed link may have (1 day to 1 year; the
  // API takes days=1–366), 30 days by default.
  var EMBED_DAYS = [1, 7, 30, 90, 180, 365];
  var embedFor = null;

  // embedDays fills the life selector in the page's language, keeping the choice.
  function embedDays() {
    var sel = $('embed-days');
    var cur = sel.value || '30';
    sel.textContent = '';
    EMBED_DAYS.forEach(function (d) {
      var o = document.createElement('option');
      o.value = String(d);
      o.textContent = d === 365 ? t('year') : d + (d === 1 ? t('day') : t('days'));
      sel.appendChild(o);
    });
    sel.value = cur;
    return Number(sel.value);
  }

  // mintEmbed asks for a signed link to the last chart chosen, for the life chosen.
  function mintEmbed() {
    if (!embedFor) { return; }
    var days = embedDays();
    getJSON('/api/v1/embed-link?' + qs(Object.assign({ chart: embedFor.chart, days: days }, embedFor.params))).then(function (r) {
      $('embed-url').value = r.url;
      $('embed-expires').textContent = t('embedExpires') + new Date(r.expires).toLocaleDateString(state.lang === 'en' ? 'en-GB' : 'vi-VN');
      $('embed-box').classList.remove('hidden');
      $('embed-url').select();
    }, showError);
  }

  // downloads writes the SVG, PNG and CSV links of a chart, and an embed button.
  function downloads(boxId, name, params, csvURL) {
    var box = $(boxId);
    box.textContent = '';
    var q = qs(params);
    link(box, '/charts/' + name + '.svg?' + q + '&preset=16:9', 'SVG', true);
    link(box, '/charts/' + name + '.png?' + q + '&preset=16:9', 'PNG', true);
    link(box, csvURL || ('/charts/' + name + '.csv?' + q), 'CSV', true);
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'button';
    b.textContent = t('embed');
    b.addEventListener('click', function () {
      embedFor = { chart: name, params: params };
      mintEmbed();
    });
    box.appendChild(b);
    nameDownloads(box, downloadLabel(boxId)); // issue 15: distinct accessible names
  }

  // serverChart draws /charts/{name}.json into a div and writes its texts.
  function serverChart(id, name, params, texts) {
    loading(id, true);
    return getJSON('/charts/' + name + '.json?' + qs(params)).then(function (opt) {
      var meta = opt.antq || {};
      delete opt.antq;
      antq.revive(opt);
      opt.animation = false;
      setChart(id, opt); // issue 15: laid out again under 600 px
      loading(id, false);
      if (texts) {
        if (texts.sub) { $(texts.sub).textContent = meta.slide.subtitle; }
        if (texts.foot) { $(texts.foot).textContent = meta.slide.footnote; }
      }
      describe(id, chartLabel(id, meta), optionTable(opt), downloadLabel(id + '-dl')); // issue 15: accessible name, data table
      return meta;
    }, function (err) { loading(id, false); throw err; });
  }

  // ---- the choropleth ------------------------------------------------

  // sequentialPieces turns the server's classes (antq.classes: bounds,
  // colours and labels, lowest first) into ECharts pieces, highest first.
  function sequentialPieces(cls) {
    if (!cls || !cls.bounds || cls.bounds.length < 2) { return []; }
    var pieces = [];
    for (var i = 0; i + 1 < cls.bounds.length; i++) {
      var p = { gte: cls.bounds[i], color: cls.colors[i], label: cls.labels[i] };
      if (i + 2 === cls.bounds.length) { p.lte = cls.bounds[i + 1]; } else { p.lt = cls.bounds[i + 1]; }
      pieces.push(p);
    }
    return pieces.reverse();
  }

  // noDataLegend is the legend entry of communes without a value, drawn
  // under the classes as the server's charts draw it.
  function noDataLegend(cls) {
    var nd = (cls && cls.no_data) || {};
    return { type: 'group', id: 'antq-nodata', left: 8, bottom: 8, children: [
      { type: 'rect', shape: { x: 0, y: 0, width: 18, height: 12 }, style: { fill: nd.color || NO_DATA } },
      { type: 'text', x: 26, y: 0, style: { text: (state.lang === 'en' ? nd.label_en : nd.label_vi) || t('noData'), fill: '#333', font: '11px sans-serif' } }
    ] };
  }

  function tooltip(metric, unit, prop) {
    return function (p) {
      var d = p.data || {};
      var c = communes[d.name] || {};
      var div = document.createElement('div');
      div.className = 'tip';
      var b = document.createElement('b');
      b.textContent = d.regionName || c.full_name || p.name;
      div.appendChild(b);
      var v = document.createElement('span');
      var val = d.value;
      var why = d.reason ? ' (' + (REASONS[state.lang][d.reason] || d.reason) + ')' : '';
      v.textContent = metricLabel(metric) + ': ' + (val === '-' || val === undefined ? t('noData') + why : fmt(val, metric) + (unit && !metric.percent ? ' ' + unit : ''));
      if (prop === 'delta' && val !== '-' && val !== undefined) {
        v.textContent = t('deltaTitle') + (val > 0 ? '+' : '') + antq.number(val, metric.decimals) + (metric.percent ? ' ' + t('pp') : (unit ? ' ' + unit : ''));
      }
      div.appendChild(v);
      if (d.rank) {
        div.appendChild(document.createElement('br'));
        div.appendChild(document.createTextNode(t('rank') + d.rank));
      }
      if (c.former_units && c.former_units.length) {
        var f = document.createElement('div');
        f.className = 'muted';
        f.textContent = t('former') + c.former_units.map(function (u) { return u.name + (u.partial ? t('part') : ''); }).join(', ');
        div.appendChild(f);
      }
      return div;
    };
  }

  function mapOption(fc, prop, pieces, sites, cls) {
    var meta = fc.antq;
    var noData = (cls && cls.no_data && cls.no_data.color) || NO_DATA;
    var m = meta.metric;
    // A rank is shown over the units ranked, "Hạng 12/124" (analytics.Rank).
    var ranked = fc.features.filter(function (f) { return f.properties.rank; }).length;
    var data = fc.features.map(function (f) {
      var v = f.properties[prop];
      return { name: f.properties.code, regionName: f.properties.name, value: v === null || v === undefined ? '-' : v,
        rank: f.properties.rank ? f.properties.rank + '/' + ranked : undefined,
        reason: prop === 'value' ? f.properties.reason : undefined };
    });
    var mapName = mapNameOf(meta);
    var series = {
      type: 'map', map: mapName, nameProperty: 'code', aspectScale: 0.94, roam: false,
      left: 'center', top: 10, bottom: 10, data: data, name: metricLabel(m),
      itemStyle: { areaColor: noData, borderColor: '#ffffff', borderWidth: 0.5 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffd166' } },
      select: { disabled: true }, label: { show: false }
    };
    var opt = {
      animation: false,
      tooltip: { trigger: 'item', confine: true, formatter: tooltip(m, unitOf(m), prop) },
      visualMap: {
        type: 'piecewise', pieces: pieces, showLabel: true, left: 8, bottom: 30, seriesIndex: 0, outOfRange: { color: noData },
        text: [cls && cls.method_vi ? (state.lang === 'en' ? 'Classes: ' + cls.method : 'Chia lớp: ' + cls.method_vi) : '',
          unitOf(m) ? (state.lang === 'en' ? 'Unit: ' : 'Đơn vị: ') + (prop === 'delta' && m.percent ? t('pp') : unitOf(m)) : ''],
        textStyle: { fontSize: 11 }, itemWidth: 18, itemHeight: 12
      },
      graphic: [noDataLegend(cls)],
      series: [series]
    };
    if (sites && sites.features.length) {
      // Sites share the map's coordinates through a geo component.
      opt.geo = { map: mapName, nameProperty: 'code', aspectScale: 0.94, roam: false, left: 'center', top: 10, bottom: 10,
        itemStyle: series.itemStyle, emphasis: series.emphasis, select: series.select, label: series.label };
      delete series.left; delete series.top; delete series.bottom; delete series.aspectScale; delete series.roam;
      series.geoIndex = 0;
      opt.series.push({
        type: 'scatter', coordinateSystem: 'geo', geoIndex: 0, symbolSize: 4, name: 'sites',
        itemStyle: { color: '#d1495b', opacity: 0.75, borderColor: '#fff', borderWidth: 0.3 },
        tooltip: { formatter: function (p) { var d = document.createElement('div'); d.className = 'tip'; var b = document.createElement('b'); b.textContent = p.data.name; d.appendChild(b); d.appendChild(document.createTextNode(p.data.type)); return d; } },
        data: sites.features.map(function (f) { return { name: f.properties.name, type: f.properties.model_type, value: f.geometry.coordinates }; })
      });
    }
    // issue 15: on a phone the map keeps clear of its legend (left column).
    if (narrow()) { var area = opt.geo || series; area.left = 104; area.right = 4; area.bottom = 28; }
    return opt;
  }

  // mapNameOf names a map's geometry: province, level and simplification.
  function mapNameOf(meta) {
    return 'antq-' + meta.province + (meta.level === 'province' ? '-provinces' : '') + '-' + meta.simplify;
  }

  function registerGeometry(fc) {
    var name = mapNameOf(fc.antq);
    if (!registered[name]) {
      echarts.registerMap(name, fc);
      registered[name] = true;
    }
  }

  function drawMaps(fc, sites) {
    registerGeometry(fc);
    var meta = fc.antq;
    var m = meta.metric;
    var side = state.compare === 'side';
    var leftFig = $('map-left-fig');
    leftFig.classList.toggle('hidden', !side);
    $('map-card').querySelector('.map-row').classList.toggle('side-by-side', side);
    var title = metricLabel(m) + t('mapOf') + (meta.province_name || provinceName());
    var sub = windowLabel(meta.window);
    $('map-main-cap').textContent = '';
    $('map-left-cap').textContent = '';
    if (state.compare === 'delta') {
      // The change map's diverging classes come from the server too
      // (antq.classes_delta, analytics.DivergingBreaks).
      chartOf('map-main').setOption(mapOption(fc, 'delta', sequentialPieces(meta.classes_delta), sites, meta.classes_delta || meta.classes), true);
      title = t('deltaTitle') + metricLabel(m) + t('mapOf') + (meta.province_name || provinceName());
      sub = windowLabel(meta.window) + (meta.window_compare ? ' ⟷ ' + windowLabel(meta.window_compare) : '');
    } else if (side) {
      var both = meta.classes_both || meta.classes;
      var pieces = sequentialPieces(both);
      chartOf('map-left').setOption(mapOption(fc, 'value_compare', pieces, sites, both), true);
      chartOf('map-main').setOption(mapOption(fc, 'value', pieces, sites, both), true);
      $('map-left-cap').textContent = t('earlier') + windowLabel(meta.window_compare);
      $('map-main-cap').textContent = t('later') + windowLabel(meta.window);
      chartOf('map-left').resize();
    } else {
      chartOf('map-main').setOption(mapOption(fc, 'value', sequentialPieces(meta.classes), sites, meta.classes), true);
    }
    if (meta.totals && meta.totals.message_vi) {
      sub = (state.lang === 'en' ? (meta.totals.message_en || t('noData')) : meta.totals.message_vi) + ' — ' + sub;
    }
    chartOf('map-main').resize();
    $('map-title').textContent = title;
    $('map-sub').textContent = sub;
    $('map-foot').textContent = state.lang === 'en' ? (meta.footnote_en || meta.footnote_vi) : meta.footnote_vi;
    // issue 15: names and a table (the map is fitted once the banners are set).
    loading('map-main', false);
    $('map-main').setAttribute('role', 'img');
    $('map-main').setAttribute('aria-label', t('mapAria') + title + ' — ' + sub);
    $('map-left').setAttribute('role', 'img');
    $('map-left').setAttribute('aria-label', t('mapAria') + title + ' — ' + $('map-left-cap').textContent);
    mapTable(fc, state.compare === 'delta' ? 'delta' : 'value');
    $('crumb-province').textContent = meta.province_name || provinceName();
    $('synthetic').classList.toggle('hidden', !meta.synthetic);
    fitMap(); // issue 15: legend and source on the first screen

    var params = baseParams();
    if (state.province === 'all') { params.level = 'province'; }
    var name = 'map';
    if (state.compare === 'delta') { name = 'delta'; params.compare = state.cmpwith; }
    if (side) { params.compare = state.cmpwith; }
    if (state.lang === 'en') { params.lang = 'en'; }
    var exportParams = baseParams(side || state.compare === 'delta' ? { compare: state.cmpwith } : {});
    if (state.lang === 'en') { exportParams.lang = 'en'; } // CSV with ',' and '.' (Vietnamese: ';' and ',')
    downloads('map-dl', name, params, '/api/v1/export.csv?' + qs(exportParams));
  }

  function onMapClick(p) {
    if (p.seriesType === 'scatter') { return; }
    var code = (p.data && p.data.name) || p.name;
    if (state.province === 'all' && lastMap && lastMap.antq.level === 'province') {
      // The national map by province: go down to the province's communes.
      state.province = code;
      state.commune = '';
      syncControls();
      refresh();
      return;
    }
    if (communes[code]) { openCommune(code); }
  }

  // ---- the figures ---------------------------------------------------

  function drawSummary(sum) {
    var en = state.lang === 'en';
    $('headline').textContent = en ? sum.headline_en : sum.headline_vi;
    var change = '';
    sum.figures.forEach(function (f) {
      if (f.metric.id === 'sites' && f.compare) {
        change = en ? (f.compare.pct_text_en || f.compare.text_en) : (f.compare.pct_text_vi || f.compare.text_vi);
      }
    });
    $('headline-change').textContent = change ? (en ? 'Sites: ' : 'Điểm mô hình ') + change : '';
    var box = $('figures');
    box.textContent = '';
    sum.figures.forEach(function (f) {
      var d = document.createElement('div');
      d.className = 'figure';
      d.setAttribute('data-metric', f.metric.id);
      var l = document.createElement('div'); l.className = 'label'; l.textContent = metricLabel(f.metric);
      var v = document.createElement('div'); v.className = 'value'; v.textContent = en ? fmt(f.value, f.metric) : (f.text_vi || t('noData'));
      var cp = null;
      if (f.metric.composite && (f.components_in || f.components_missing)) {
        // Which components the index is made of.
        var names = function (ids) { return (ids || []).map(function (id) { return metrics[id] ? metricLabel(metrics[id]) : id; }).join(', '); };
        var parts = [];
        if (f.components_in && f.components_in.length) { parts.push((state.lang === 'en' ? 'from: ' : 'gồm: ') + names(f.components_in)); }
        if (f.components_missing && f.components_missing.length) { parts.push((state.lang === 'en' ? 'missing: ' : 'thiếu: ') + names(f.components_missing)); }
        cp = document.createElement('div'); cp.className = 'muted'; cp.textContent = parts.join('; ');
      }
      d.appendChild(l); d.appendChild(v);
      var ctext = f.compare ? (en ? f.compare.text_en : f.compare.text_vi) : '';
      if (ctext) {
        var c = document.createElement('div'); c.className = 'delta'; c.textContent = ctext; d.appendChild(c);
      }
      if (cp) { d.appendChild(cp); }
      box.appendChild(d);
    });
    $('headline-foot').textContent = en ? sum.footnote_en : sum.footnote_vi;
    $('synthetic').classList.toggle('hidden', !sum.synthetic);
  }

  // ---- the commune panel ---------------------------------------------

  function openCommune(code) {
    state.commune = code;
    saveURL();
    var gen = generation;
    var c = communes[code] || {};
    $('panel').classList.remove('hidden');
    $('panel-title').textContent = c.full_name || code;
    $('crumb-sep').classList.remove('hidden');
    $('crumb-commune').textContent = c.full_name || code;
    $('panel-meta').textContent = t('loading');
    var q = qs(windowParams());
    var trendParams = { province: state.province, commune: code, metric: state.metric, lang: state.lang === 'en' ? 'en' : '' };
    // issue 15: viewers and anonymous visitors read the public figures.
    var detailURL = canDetail() ? '/api/v1/communes/' + encodeURIComponent(code) + '?' + q
      : '/api/v1/figures?' + qs(Object.assign({ commune: code }, windowParams()));
    return Promise.all([
      getJSON(detailURL),
      serverChart('panel-trend', 'trend', trendParams)
    ]).then(function (r) {
      if (gen !== generation || state.commune !== code) { return; }
      drawCommune(r[0]);
    }, function (err) {
      if (gen !== generation || state.commune !== code) { return; }
      $('panel-meta').textContent = friendly(err); // issue 15: never left at "Đang tải…"
      showError(err);
    });
  }

  function drawCommune(d) {
    d.models = d.models || []; // issue 15: /api/v1/figures has no models or sites
    d.sites = d.sites || [];
    var c = d.commune;
    var meta = [(DICT[state.lang].communeKinds[c.kind] || c.kind), c.code];
    if (c.area_km2) { meta.push(t('area') + antq.number(c.area_km2, 2) + ' km²'); }
    if (c.population) { meta.push(t('population') + antq.number(c.population, 0)); }
    $('panel-meta').textContent = meta.join(' · ') + ' · ' + windowLabel(d.window);
    $('panel-former').textContent = c.former_units.length ? t('former') + c.former_units.map(function (u) { return u.name + (u.partial ? t('part') : ''); }).join(', ') : '';
    // The province column is named by the unit's kind: "Toàn thành phố" for a city.
    $('panel-figures').querySelector('th[data-i18n="provinceCol"]').textContent =
      t(/^Thành phố /.test(provinceName()) ? 'provinceColCity' : 'provinceCol');
    var tb = $('panel-figures').querySelector('tbody');
    tb.textContent = '';
    d.metrics.forEach(function (m) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-metric', m.metric.id);
      var shown = state.lang === 'en' ? (m.value === null ? t('noData') : fmt(m.value, m.metric)) : (m.text_vi || t('noData'));
      var cells = [metricLabel(m.metric), shown, m.rank ? (m.rank_text || String(m.rank)) : '–', m.province === null ? '–' : fmt(m.province, m.metric)];
      cells.forEach(function (text, i) {
        var td = document.createElement('td');
        td.textContent = text;
        if (i > 0) { td.className = 'num'; }
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    });
    $('panel-models-n').textContent = antq.number(d.models.length, 0);
    var ul = $('panel-models');
    ul.textContent = '';
    d.models.forEach(function (m) {
      var li = document.createElement('li');
      li.textContent = m.name + ' — ' + m.type;
      if (m.exemplary) { var b = document.createElement('span'); b.className = 'badge'; b.textContent = t('exemplary'); li.appendChild(b); }
      if (m.advanced) { var a = document.createElement('span'); a.className = 'badge'; a.textContent = t('advanced'); li.appendChild(a); }
      ul.appendChild(li);
    });
    $('panel-sites-n').textContent = antq.number(d.sites.length, 0);
    ul = $('panel-sites');
    ul.textContent = '';
    d.sites.slice(0, 60).forEach(function (s) {
      var li = document.createElement('li');
      li.textContent = s.name + ' — ' + s.model_type + (s.opened ? ' (' + s.opened.split('-').reverse().join('/') + ')' : '');
      ul.appendChild(li);
    });
    if (d.sites.length > 60) {
      var li = document.createElement('li');
      li.textContent = t('more') + antq.number(d.sites.length - 60, 0) + t('moreTail');
      ul.appendChild(li);
    }
    $('panel-foot').textContent = (state.lang === 'en' ? 'Source: ' : 'Nguồn: ') + (provinceName()) + '; ' + windowLabel(d.window) + (d.synthetic ? ' · ' + t('synthetic') : '');
    if (charts['panel-trend']) { charts['panel-trend'].resize(); }
  }

  function closeCommune() {
    state.commune = '';
    saveURL();
    $('panel').classList.add('hidden');
    $('crumb-sep').classList.add('hidden');
    $('crumb-commune').textContent = '';
  }

  // ---- findings ("Điểm cần chú ý") ----------------------------------------

  var highlighted = []; // communes of the finding last clicked, highlighted on the map

  // loadFindings lists the top findings of /api/v1/findings beside the
  // headline figures; clicking one selects its metric, the comparison for a
  // change, and its communes on the map.
  function loadFindings(gen) {
    // Findings are per province: none for the whole country. They read the
    // site lists, so they need an analyst (issue 15: hidden, not an error).
    var off = state.province === 'all' || !canDetail();
    $('findings-card').classList.toggle('hidden', off);
    if (off) { return Promise.resolve(); }
    var p = baseParams({ compare: 'prev', lang: state.lang === 'en' ? 'en' : '' });
    delete p.metric;
    return getJSON('/api/v1/findings?' + qs(p)).then(function (r) {
      if (gen !== generation) { return; }
      var box = $('findings');
      box.textContent = '';
      r.findings.slice(0, 8).forEach(function (f, i) {
        var li = document.createElement('li');
        li.className = 'sev-' + f.severity;
        var b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('data-finding', String(i));
        b.setAttribute('data-kind', f.kind);
        b.textContent = f.text;
        b.title = f.method || '';
        b.addEventListener('click', function () { applyFinding(f); });
        li.appendChild(b);
        box.appendChild(li);
      });
      if (!r.findings.length) {
        var li = document.createElement('li');
        li.textContent = t('findingsNone');
        box.appendChild(li);
      }
      $('findings-foot').textContent = t('findingsFoot') + windowLabel(r.window);
    });
  }

  function applyFinding(f) {
    if (f.metric && metrics[f.metric]) { state.metric = f.metric; }
    if (f.kind === 'change') { state.compare = 'delta'; }
    highlighted = f.communes.map(function (c) { return c.code; });
    state.commune = highlighted.length === 1 ? highlighted[0] : '';
    if (!state.commune) { closeCommune(); }
    syncControls();
    return refresh();
  }

  // highlightFindings marks the clicked finding's communes on the map.
  function highlightFindings() {
    ['map-main', 'map-left'].forEach(function (id) {
      if (charts[id] && highlighted.length) {
        charts[id].dispatchAction({ type: 'highlight', seriesIndex: 0, name: highlighted });
      }
    });
  }

  // ---- refresh -------------------------------------------------------

  function loadCommunes() {
    if (communes.__province === state.province) { return Promise.resolve(); }
    return getJSON('/api/v1/communes?province=' + encodeURIComponent(state.province)).then(function (r) {
      var m = { __province: state.province };
      r.communes.forEach(function (c) { m[c.code] = c; });
      communes = m;
    });
  }

  // refresh redraws everything for the current state, without a reload.
  function refresh() {
    if (state.period === 'custom' && (!state.from || !state.to)) { return Promise.resolve(); }
    var gen = ++generation;
    if (!canDetail()) { state.sites = false; } // issue 15: sites need an analyst
    saveURL();
    showError(null);
    loading('map-main', true); // issue 15: skeleton until the map is drawn
    var lang = state.lang === 'en' ? { lang: 'en' } : {};
    var mapParams = baseParams(state.compare === 'none' ? {} : { compare: state.cmpwith });
    if (state.province === 'all') { mapParams.level = 'province'; }
    var sum = baseParams({ compare: state.cmpwith });
    delete sum.metric;
    $('briefing').href = '/api/v1/briefing.pptx?' + qs(sum);
    var jobs = [
      loadCommunes(),
      getJSON('/api/v1/map.geojson?' + qs(mapParams)),
      state.sites && state.province !== 'all' ? getJSON('/api/v1/sites.geojson?' + qs({ province: state.province, period: windowParams().period, from: windowParams().from, to: windowParams().to })) : Promise.resolve(null),
      getJSON('/api/v1/summary?' + qs(sum))
    ];
    var trendParams = Object.assign({ province: state.province, metric: state.metric }, lang);
    var bdParams = Object.assign(baseParams({ by: state.by }), lang);
    delete bdParams.metric;
    var topParams = Object.assign(baseParams({ side: 'top', limit: 10 }), lang);
    var botParams = Object.assign(baseParams({ side: 'bottom', limit: 10 }), lang);
    var side = [
      serverChart('trend', 'trend', trendParams, { sub: 'trend-sub', foot: 'trend-foot' }),
      serverChart('breakdown', 'breakdown', bdParams, { sub: 'breakdown-sub', foot: 'breakdown-foot' }),
      serverChart('ranking-top', 'ranking', topParams, { sub: 'ranking-sub', foot: 'ranking-foot' }),
      serverChart('ranking-bottom', 'ranking', botParams),
      loadFindings(gen)
    ];
    downloads('trend-dl', 'trend', trendParams);
    downloads('breakdown-dl', 'breakdown', bdParams);
    downloads('ranking-top-dl', 'ranking', topParams);
    downloads('ranking-bottom-dl', 'ranking', botParams);
    var main = Promise.all(jobs).then(function (r) {
      if (gen !== generation) { return; }
      lastMap = r[1];
      if (!state.period && r[1].antq && r[1].antq.window) {
        state.period = r[1].antq.window.spec;
        syncControls();
        saveURL();
      }
      lastSites = r[2]; // issue 15: to draw the map again at another width
      drawMaps(r[1], r[2]);
      highlightFindings();
      drawSummary(r[3]);
      if (state.commune) {
        if (communes[state.commune]) { return openCommune(state.commune); }
        closeCommune();
      }
    });
    return Promise.all([main].concat(side)).then(function () {
      if (gen === generation) {
        fitMap(); // issue 15: the banners and texts are final now
        if (!window.antqPage.firstReadyMs) { window.antqPage.firstReadyMs = performance.now(); }
        document.body.setAttribute('data-ready', String(gen));
      }
    }, function (err) {
      if (gen === generation) { loading('map-main', false); showError(err); document.body.setAttribute('data-ready', 'error'); }
    });
  }

  function bind() {
    function on(id, ev, fn) { $(id).addEventListener(ev, fn); }
    on('province', 'change', function (e) { state.province = e.target.value; state.commune = ''; highlighted = []; closeCommune(); refresh(); });
    on('metric', 'change', function (e) { state.metric = e.target.value; refresh(); });
    on('period', 'change', function (e) { state.period = e.target.value; syncControls(); refresh(); });
    on('from', 'change', function (e) { state.from = e.target.value; refresh(); });
    on('to', 'change', function (e) { state.to = e.target.value; refresh(); });
    on('compare', 'change', function (e) { state.compare = e.target.value; refresh(); });
    on('cmpwith', 'change', function (e) { state.cmpwith = e.target.value; refresh(); });
    on('sites', 'change', function (e) { state.sites = e.target.checked; refresh(); });
    on('by', 'change', function (e) { state.by = e.target.value; refresh(); });
    on('controls', 'submit', function (e) { e.preventDefault(); });
    on('panel-close', 'click', closeCommune);
    on('crumb-province', 'click', function (e) { e.preventDefault(); closeCommune(); });
    on('embed-close', 'click', function () { $('embed-box').classList.add('hidden'); });
    on('embed-days', 'change', mintEmbed);
    on('lang', 'click', function () {
      state.lang = state.lang === 'vi' ? 'en' : 'vi';
      applyI18n();
      fillMetrics();
      fillPeriods();
      syncControls();
      refresh();
    });
    chartOf('map-main').on('click', onMapClick);
    chartOf('map-left').on('click', onMapClick);
    window.addEventListener('resize', function () {
      if (window.matchMedia && window.matchMedia('print').matches) { return; } // issue 15: see the print note
      Object.keys(charts).forEach(function (k) { charts[k].resize(); });
      fitMap(); // issue 15
    });
    bindIssue15();
  }

  // ---- sign-in (servers not started with --public) ----------------------

  function showLogin() {
    $('login').classList.remove('hidden');
    $('controls').classList.add('hidden');
    $('main').classList.add('hidden');
    $('login-user').focus();
  }

  function bindLogin() {
    $('login').addEventListener('submit', function (ev) {
      ev.preventDefault();
      fetch('/api/v1/login', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ user: $('login-user').value, password: $('login-password').value })
      }).then(function (r) {
        if (!r.ok) { throw new Error(t('loginFailed')); }
        $('login-password').value = '';
        $('login').classList.add('hidden');
        $('login-error').classList.add('hidden');
        $('controls').classList.remove('hidden');
        $('main').classList.remove('hidden');
        $('logout').classList.remove('hidden');
        return r.json().then(function (s) { applySession(s); loadAll(); }); // issue 15
      }).catch(function (e) {
        $('login-error').textContent = e.message;
        $('login-error').classList.remove('hidden');
      });
    });
    $('logout').addEventListener('click', function () {
      fetch('/api/v1/logout', { method: 'POST', credentials: 'same-origin' }).then(function () {
        window.location.reload();
      });
    });
  }

  function loadAll() {
    return Promise.all([getJSON('/api/v1/provinces'), getJSON('/api/v1/metrics')]).then(function (r) {
      provinces = r[0].provinces;
      r[1].metrics.forEach(function (m) { metrics[m.id] = m; });
      if (!metrics[state.metric]) { state.metric = 'sites'; }
      fillProvinces();
      fillMetrics();
      fillPeriods();
      syncControls();
      return refresh();
    }).catch(function (e) { if (e !== needLogin) { showError(e); } });
  }

  function start() {
    var meta = document.querySelector('meta[name="antq-police-year"]');
    var y = meta && parseInt(meta.getAttribute('content'), 10);
    if (y) { policeYear = y; }
    // No period in the URL: the server's default (the latest complete
    // period with data), which the first map names (window.spec).
    state.period = '';
    loadURL();
    applyI18n();
    bind();
    bindLogin();
    getJSON('/api/v1/session').then(function (s) {
      applySession(s); // issue 15: public mode without walls
      if (s.user && s.via === 'session') { $('logout').classList.remove('hidden'); }
      if (s.auth === 'on' && !s.user) {
        showLogin();
        return;
      }
      loadAll();
    }, function () { loadAll(); });
  }

  // ==== issue 15: errors, loading, phones, print, public mode, accessibility ====
  // (kept together so other panels' edits do not collide with these)

  Object.assign(DICT.vi, {
    retry: 'Thử lại', signIn: 'Đăng nhập', back: 'Quay lại',
    errNetwork: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
    errBusy: 'Máy chủ đang nhận quá nhiều yêu cầu. Đợi một lát rồi thử lại.',
    errDown: 'Máy chủ tạm thời chưa trả lời được (đang bận hoặc đang khởi động). Thử lại sau ít phút.',
    errServer: 'Máy chủ gặp lỗi khi lấy số liệu. Thử lại; nếu vẫn lỗi, xin báo quản trị viên.',
    errForbidden: 'Tài khoản này không được xem số liệu này.',
    errNotFound: 'Không tìm thấy số liệu được yêu cầu (địa bàn hoặc kỳ không có).',
    errInvalid: 'Lựa chọn chưa hợp lệ: ', errSignIn: 'Cần đăng nhập để xem phần này.',
    moreSignIn: 'Danh sách mô hình và điểm mô hình của xã dành cho cán bộ được cấp quyền.',
    dataTable: 'Bảng số liệu: ', communeTable: 'Bảng xã, phường (đọc và chọn bằng bàn phím)', communeCol: 'Xã, phường',
    dlSVG: 'Tải ảnh SVG: ', dlPNG: 'Tải ảnh PNG: ', dlCSV: 'Tải bảng CSV: ', dlEmbed: 'Tạo liên kết nhúng: ',
    chartOf: 'Biểu đồ: ', mapAria: 'Bản đồ: '
  });
  Object.assign(DICT.en, {
    retry: 'Try again', signIn: 'Sign in', back: 'Back',
    errNetwork: 'The server cannot be reached. Check the network, then try again.',
    errBusy: 'The server is receiving too many requests. Wait a moment, then try again.',
    errDown: 'The server cannot answer just now (busy or starting). Try again in a few minutes.',
    errServer: 'The server failed while fetching the figures. Try again; if it fails again, tell the administrator.',
    errForbidden: 'This account may not see these figures.',
    errNotFound: 'The figures asked for were not found (no such place or period).',
    errInvalid: 'Not a valid choice: ', errSignIn: 'Sign in to see this.',
    moreSignIn: 'The commune\'s models and sites are for authorised staff.',
    dataTable: 'Data table: ', communeTable: 'Communes table (read and pick with the keyboard)', communeCol: 'Commune',
    dlSVG: 'Download SVG image: ', dlPNG: 'Download PNG image: ', dlCSV: 'Download CSV table: ', dlEmbed: 'Make an embed link: ',
    chartOf: 'Chart: ', mapAria: 'Map: '
  });

  // ---- errors: a sentence for people, and a retry ------------------------

  // apiError keeps what the server said (status, code, its message) for
  // friendly() to turn into a sentence; the raw text stays out of the page.
  function apiError(status, body, url) {
    var e = new Error((body && body.message) || (status ? status + ' ' + url : 'network ' + url));
    e.status = status;
    e.code = body && body.code;
    e.apiMessage = body && body.message;
    return e;
  }

  // friendly is the sentence shown for an error, in the page's language.
  function friendly(err) {
    var s = err && err.status;
    if (s === 0) { return t('errNetwork'); }
    if (s === 429) { return t('errBusy'); }
    if (s === 503 || s === 502 || s === 504) { return t('errDown'); }
    if (s === 401) { return t('errSignIn'); }
    if (s === 403) { return t('errForbidden') + (isAnonymousPublic() ? ' ' + t('errSignIn') : ''); }
    if (s === 404) { return t('errNotFound'); }
    if (s === 400 && err.apiMessage) {
      // The server's messages are "tiếng Việt / English".
      var parts = String(err.apiMessage).split(' / ');
      return t('errInvalid') + (state.lang === 'en' && parts.length > 1 ? parts.slice(1).join(' / ') : parts[0]);
    }
    if (s) { return t('errServer'); }
    return t('errServer'); // a failure in the page itself
  }

  // errorBanner writes the sentence and a "Thử lại" button that redraws.
  function errorBanner(box, err) {
    box.textContent = '';
    var p = document.createElement('span');
    p.className = 'error-text';
    p.textContent = friendly(err);
    box.appendChild(p);
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'button retry';
    b.id = 'retry';
    b.textContent = t('retry');
    b.addEventListener('click', function () {
      showError(null);
      if (!provinces.length) { loadAll(); } else { refresh(); }
    });
    box.appendChild(b);
    if (isAnonymousPublic() && (err.status === 403 || err.status === 401)) {
      var a = document.createElement('button');
      a.type = 'button';
      a.className = 'button';
      a.textContent = t('signIn');
      a.addEventListener('click', showLogin);
      box.appendChild(a);
    }
    box.classList.remove('hidden');
  }

  // ---- loading skeletons ---------------------------------------------------

  function loading(id, on) {
    var el = $(id);
    if (el) { el.classList.toggle('loading', !!on); el.setAttribute('aria-busy', on ? 'true' : 'false'); }
  }

  // ---- phones (< 600 px) and print ------------------------------------------

  var NARROW = window.matchMedia ? window.matchMedia('(max-width: 599px)') : { matches: false };
  var rawFns = {}; // chart id -> the server's option (revived), to lay out again

  function narrow() { return NARROW.matches; }

  function axesOf(a) { return a ? (a instanceof Array ? a : [a]) : []; }

  // adaptOption lays a server option out for a phone: bars horizontal,
  // category labels cut to a third of the screen (the tooltip and the data
  // table keep them whole), fewer value ticks, no overprinted time labels,
  // the legend scrolling at the bottom.
  function adaptOption(opt) {
    if (!narrow()) { return opt; }
    var w = Math.max(280, window.innerWidth);
    var series = opt.series || [];
    var xs = axesOf(opt.xAxis), ys = axesOf(opt.yAxis);
    var bars = series.some(function (s) { return s.type === 'bar'; });
    if (bars && xs.length && xs[0].type === 'category' && ys.length && ys[0].type === 'value') {
      var cat = xs[0];
      cat.inverse = true;
      opt.xAxis = ys[0];
      opt.yAxis = cat;
      xs = [ys[0]];
      ys = [cat];
      series.forEach(function (s) { if (s.label && s.label.position === 'top') { s.label.position = 'right'; } });
    }
    xs.forEach(function (ax) {
      ax.axisLabel = ax.axisLabel || {};
      ax.axisLabel.hideOverlap = true;
      ax.axisLabel.fontSize = 10;
      if (ax.type === 'category') { ax.axisLabel.interval = 'auto'; ax.axisLabel.rotate = 0; }
      if (ax.type === 'value') { ax.splitNumber = 3; }
    });
    ys.forEach(function (ax) {
      ax.axisLabel = ax.axisLabel || {};
      ax.axisLabel.fontSize = 10;
      if (ax.type === 'category') {
        ax.axisLabel.width = Math.round(w * 0.32);
        ax.axisLabel.overflow = 'truncate';
        ax.axisLabel.ellipsis = '…';
      } else {
        ax.splitNumber = 3;
        ax.axisLabel.hideOverlap = true;
      }
    });
    if (opt.grid) { opt.grid.left = 4; opt.grid.right = 36; opt.grid.top = 36; }
    if (opt.legend && opt.legend.show) { opt.legend.type = 'scroll'; opt.legend.bottom = 0; opt.legend.top = 'auto'; }
    series.forEach(function (s) {
      if (s.type === 'pie') { s.radius = ['25%', '50%']; if (s.label) { s.label.show = false; } }
    });
    return opt;
  }

  // setChart draws an option (adapted to the screen) and keeps it for a
  // later change of screen width.
  function setChart(id, opt) {
    rawFns[id] = opt;
    chartOf(id).setOption(adaptOption(cloneOption(opt)), true);
  }

  // cloneOption copies an option keeping its formatter functions.
  function cloneOption(o) {
    if (o instanceof Array) { return o.map(cloneOption); }
    if (o === null || typeof o !== 'object') { return o; }
    var c = {};
    Object.keys(o).forEach(function (k) { c[k] = cloneOption(o[k]); });
    return c;
  }

  // relayout draws the kept options again when the screen crosses 600 px.
  function relayout() {
    Object.keys(rawFns).forEach(function (id) {
      if (charts[id]) { charts[id].setOption(adaptOption(cloneOption(rawFns[id])), true); }
    });
    if (lastMap) { drawMaps(lastMap, lastSites); highlightFindings(); }
    fitMap();
  }
  var lastSites = null;

  // fitMap gives the map the height that keeps its legend and the source
  // line under it on the first screen (e.g. 1366×768), within 300–620 px.
  function fitMap() {
    var el = $('map-main');
    if (!el || $('main').classList.contains('hidden')) { return; }
    var side = state.compare === 'side';
    var top = el.getBoundingClientRect().top + window.scrollY;
    var below = $('map-foot').getBoundingClientRect().height + 40; // source line, card and page padding
    var h = Math.floor(window.innerHeight - top - below);
    var max = side ? 520 : 620;
    var min = narrow() ? 280 : 340;
    h = Math.max(min, Math.min(max, h));
    ['map-main', 'map-left'].forEach(function (id) {
      $(id).style.height = h + 'px';
      if (charts[id]) { charts[id].resize(); }
    });
  }

  // Printing draws no chart again: the print style sheet scales each
  // canvas into its block keeping its shape (a resize while the print
  // sheet applies would read the auto heights and collapse the charts).

  // ---- public mode ------------------------------------------------------------

  var session = { auth: 'off' };

  // canDetail: the commune detail and the sites need an analyst (routes.go).
  function canDetail() {
    if (session.auth === 'off') { return true; }
    return session.role === 'analyst' || session.role === 'admin';
  }

  function isAnonymousPublic() { return session.auth === 'public' && !session.user; }

  // applySession hides what the visitor may not read and offers a sign-in
  // where more exists.
  function applySession(s) {
    session = s || { auth: 'off' };
    var detail = canDetail();
    $('sites-box').classList.toggle('hidden', !detail);
    if (!detail) { state.sites = false; }
    $('signin').classList.toggle('hidden', !isAnonymousPublic());
    // The deck carries the findings, which read the site lists (analyst).
    $('briefing').classList.toggle('hidden', !detail);
    $('panel-more').classList.toggle('hidden', !detail);
    $('panel-more-signin').classList.toggle('hidden', detail);
    $('panel-signin').classList.toggle('hidden', !isAnonymousPublic());
    $('login-cancel').classList.toggle('hidden', session.auth !== 'public');
  }

  function hideLogin() {
    $('login').classList.add('hidden');
    $('controls').classList.remove('hidden');
    $('main').classList.remove('hidden');
    fitMap();
  }

  // ---- accessibility --------------------------------------------------------

  // describe names a chart for assistive technology (role=img, aria-label)
  // and writes its data table beside it.
  function describe(id, label, table, short) {
    var el = $(id);
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', label);
    var box = $(id + '-table');
    if (!box) {
      box = document.createElement('details');
      box.id = id + '-table';
      box.className = 'datatable';
      el.parentNode.insertBefore(box, el.nextSibling);
    }
    box.textContent = '';
    var sum = document.createElement('summary');
    sum.textContent = t('dataTable') + (short || label);
    box.appendChild(sum);
    if (table) { box.appendChild(table); }
  }

  function tableOf(head, rows) {
    var tb = document.createElement('table');
    tb.className = 'figtable';
    var tr = document.createElement('tr');
    head.forEach(function (h) { var th = document.createElement('th'); th.scope = 'col'; th.textContent = h; tr.appendChild(th); });
    var thead = document.createElement('thead');
    thead.appendChild(tr);
    tb.appendChild(thead);
    var body = document.createElement('tbody');
    rows.forEach(function (r) {
      var row = document.createElement('tr');
      r.forEach(function (c, i) {
        var td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) { td.scope = 'row'; } else { td.className = 'num'; }
        if (c instanceof Node) { td.appendChild(c); } else { td.textContent = c; }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    tb.appendChild(body);
    return tb;
  }

  // optionTable is the data table of a server chart option: categories by
  // series (bars and lines), or names and values (pies).
  function optionTable(opt) {
    var series = opt.series || [];
    var vf = opt.tooltip && typeof opt.tooltip.valueFormatter === 'function' ? opt.tooltip.valueFormatter : function (v) { return antq.number(v, 2); };
    var val = function (d) {
      var v = d !== null && typeof d === 'object' ? d.value : d;
      return v === '-' || v === null || v === undefined ? t('noData') : vf(v);
    };
    if (series.length && series[0].type === 'pie') {
      return tableOf(['', series[0].name || ''], (series[0].data || []).map(function (d) { return [d.name, val(d)]; }));
    }
    var cat = axesOf(opt.xAxis).concat(axesOf(opt.yAxis)).filter(function (a) { return a.type === 'category'; })[0];
    if (!cat || !cat.data) { return null; }
    var head = [''].concat(series.map(function (s) { return s.name || ''; }));
    var rows = cat.data.map(function (c, i) {
      var name = c !== null && typeof c === 'object' ? c.value : c;
      return [String(name)].concat(series.map(function (s) { return s.data && i < s.data.length ? val(s.data[i]) : ''; }));
    });
    return tableOf(head, rows);
  }

  // mapTable lists the map's communes (or provinces) with their values:
  // each name is a button, so Tab reaches it and Enter opens the commune.
  function mapTable(fc, prop) {
    var m = fc.antq.metric;
    var rows = fc.features.map(function (f) { return f.properties; }).sort(function (a, b) { return String(a.name).localeCompare(String(b.name), 'vi'); });
    var national = fc.antq.level === 'province';
    var table = tableOf([national ? t('province') : t('communeCol'), metricLabel(m), t('rankCol')], rows.map(function (p) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'linkish';
      b.textContent = p.name;
      b.setAttribute('data-code', p.code);
      b.addEventListener('click', function () { onMapClick({ data: { name: p.code }, name: p.code }); });
      var v = p[prop];
      return [b, v === null || v === undefined ? t('noData') : fmt(v, m), p.rank ? String(p.rank) : '–'];
    }));
    var box = $('map-table');
    box.textContent = '';
    var sum = document.createElement('summary');
    sum.textContent = t('communeTable');
    box.appendChild(sum);
    box.appendChild(table);
  }

  // nameDownloads gives each download link of a box a name that says what
  // it downloads and of which chart ("Tải ảnh SVG: Xếp hạng … — Dẫn đầu").
  function nameDownloads(box, label) {
    var kinds = { SVG: 'dlSVG', PNG: 'dlPNG', CSV: 'dlCSV' };
    [].slice.call(box.children).forEach(function (el) {
      var k = kinds[el.textContent] || 'dlEmbed';
      el.setAttribute('aria-label', t(k) + label);
      el.title = t(k) + label;
    });
  }

  // downloadLabel is the name of the chart a download box belongs to.
  function downloadLabel(boxId) {
    var map = { 'trend-dl': 'trend-title', 'breakdown-dl': 'breakdown-card', 'ranking-top-dl': 'ranking-card', 'ranking-bottom-dl': 'ranking-card', 'map-dl': 'map-title' };
    var el = $(map[boxId] || boxId);
    var h = el && (el.tagName === 'H2' ? el : el.querySelector('h2'));
    var label = h ? h.textContent : boxId;
    if (boxId === 'ranking-top-dl') { label += ' — ' + t('top'); }
    if (boxId === 'ranking-bottom-dl') { label += ' — ' + t('bottom'); }
    return label;
  }

  // chartLabel names a server chart: its card's heading and the subtitle.
  function chartLabel(id, meta) {
    var label = downloadLabel(id + '-dl');
    var sub = meta && meta.slide && meta.slide.subtitle;
    return t('chartOf') + label + (sub ? ' — ' + sub : '');
  }

  function bindIssue15() {
    if (NARROW.addEventListener) { NARROW.addEventListener('change', relayout); } else if (NARROW.addListener) { NARROW.addListener(relayout); }
    $('signin').addEventListener('click', function (e) { e.preventDefault(); showLogin(); });
    $('panel-signin').addEventListener('click', function (e) { e.preventDefault(); showLogin(); });
    $('login-cancel').addEventListener('click', hideLogin);
  }
  // ==== end of issue 15 block ====

  // Tests and the console may drive the page through this.
  window.antqPage = { state: state, refresh: refresh, openCommune: openCommune, charts: charts, lastMap: function () { return lastMap; },
    highlighted: function () { return highlighted.slice(); } };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
