// ANTQ Atlas — "Nạp dữ liệu", the data desk of the page: upload report
// files (drag and drop or pick), preview, confirm, progress (it survives a
// reload: the batch being loaded is remembered), summary, rejects (table and
// XLSX), templates, the batch history and undo. For editors ("Cán bộ nhập
// liệu") and admins; the API is /api/v1/admin/uploads and /batches.
// Kept apart from app.js: it only calls window.antqPage.refresh() when the
// figures changed.
(function () {
  'use strict';

  var KINDS = [['', 'Tự nhận biết theo tiêu đề cột'], ['models', 'Mô hình'], ['sites', 'Điểm mô hình'], ['grades', 'Xếp loại'], ['incidents', 'Vụ việc']];
  var KIND_VI = { models: 'mô hình', sites: 'điểm mô hình', grades: 'xếp loại', incidents: 'vụ việc' };
  var STATUS_VI = { preview: 'chờ xác nhận', queued: 'đang chờ nạp', running: 'đang nạp', done: 'đã nạp', failed: 'lỗi', cancelled: 'đã hủy', undone: 'đã hoàn tác' };
  var STORE_KEY = 'antq.desk.batch';

  var session = null;
  var checkedUser = ''; // the user of the last session check: after a sign-in, check again
  var limits = null;
  var current = null; // the batch shown
  var polling = 0;
  var files = [];

  // After a load or an undo the figures changed, but the browser may hold
  // API answers (Cache-Control max-age) from before: from then on this
  // page revalidates every GET it sends (If-None-Match; 304 when unchanged).
  var changed = false;
  var fetch0 = window.fetch.bind(window);
  window.fetch = function (input, init) {
    if (changed && (!init || !init.method || init.method === 'GET')) { init = Object.assign({}, init, { cache: 'no-cache' }); }
    return fetch0(input, init);
  };
  function figuresChanged() {
    changed = true;
    if (window.antqPage && window.antqPage.refresh) { window.antqPage.refresh(); }
  }

  function $(id) { return document.getElementById(id); }
  var provinceNames = {};
  function provinceName(code) { return (provinceNames[code] || 'Tỉnh') + ' (' + code + ')'; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function num(n) { return (n === undefined || n === null) ? '—' : Number(n).toLocaleString('vi-VN'); }
  function when(s) {
    if (!s) { return ''; }
    var d = new Date(s);
    function p(x) { return (x < 10 ? '0' : '') + x; }
    return p(d.getDate()) + '/' + p(d.getMonth() + 1) + '/' + d.getFullYear() + ' ' + p(d.getHours()) + ':' + p(d.getMinutes());
  }
  function sizeText(b) { return b >= 1048576 ? (b / 1048576).toLocaleString('vi-VN', { maximumFractionDigits: 1 }) + ' MB' : Math.ceil(b / 1024) + ' KB'; }
  function state(s) { document.body.setAttribute('data-desk', s); }

  function api(method, url, body) {
    var h = { Accept: 'application/json' };
    if (method !== 'GET' && session && session.csrf) { h['X-CSRF-Token'] = session.csrf; }
    return fetch(url, { method: method, credentials: 'same-origin', headers: h, body: body }).then(function (r) {
      return r.json().then(function (b) {
        if (!r.ok) { throw new Error((b && b.error && b.error.message) || (r.status + ' ' + url)); }
        return b;
      }, function () { throw new Error(r.status + ' ' + url); });
    });
  }

  function showMsg(text, bad) {
    var m = $('desk-msg');
    m.textContent = text || '';
    m.className = 'desk-msg' + (bad ? ' bad' : '') + (text ? '' : ' hidden');
  }

  // ---- the panel -------------------------------------------------------

  function build() {
    if ($('desk')) { return; }
    var open = el('button', 'button', 'Nạp dữ liệu');
    open.id = 'desk-open';
    open.type = 'button';
    var actions = document.querySelector('.top-actions');
    actions.insertBefore(open, actions.firstChild);
    open.addEventListener('click', function () { toggle(true); });

    var d = el('section', 'desk card hidden');
    d.id = 'desk';
    d.setAttribute('aria-label', 'Nạp dữ liệu');
    d.innerHTML =
      '<div class="desk-head"><h2>Nạp dữ liệu</h2><button type="button" class="button" id="desk-close">Đóng</button></div>' +
      '<p class="sub" id="desk-who"></p>' +
      '<div class="desk-grid">' +
      ' <form id="desk-form" class="desk-form">' +
      '  <div id="desk-drop" class="desk-drop" tabindex="0">Kéo thả tệp báo cáo vào đây hoặc <label class="desk-pick">chọn tệp<input id="desk-files" type="file" multiple accept=".csv,.tsv,.txt,.xlsx,.xlsm,.jsonl,.ndjson,.json"></label><br><span class="sub">CSV, Excel (.xlsx), JSON Lines</span></div>' +
      '  <ul id="desk-filelist" class="desk-filelist"></ul>' +
      '  <div class="desk-opts">' +
      '   <label>Loại dữ liệu <select id="desk-kind"></select></label>' +
      '   <label>Tỉnh của tệp <select id="desk-province"></select></label>' +
      '   <label>Huyện (số liệu trước 01/7/2025) <input id="desk-district" type="text" placeholder="không bắt buộc"></label>' +
      '  </div>' +
      '  <button type="submit" class="button primary" id="desk-preview-btn">Xem trước</button>' +
      '  <p class="sub" id="desk-limits"></p>' +
      '  <p class="sub">Tải mẫu nhập liệu: <span id="desk-templates"></span></p>' +
      ' </form>' +
      ' <div class="desk-work">' +
      '  <p id="desk-msg" class="desk-msg hidden" role="status"></p>' +
      '  <div id="desk-preview" class="hidden"></div>' +
      '  <div id="desk-run" class="hidden">' +
      '   <h3 id="desk-run-title">Đang nạp</h3>' +
      '   <progress id="desk-progress" max="100" value="0"></progress> <span id="desk-percent">0 %</span>' +
      '   <p id="desk-progress-text" class="sub"></p>' +
      '   <div id="desk-summary"></div>' +
      '   <div id="desk-rejects-box" class="hidden"><h3>Dòng bị loại (<span id="desk-rejects-n"></span>)</h3>' +
      '    <p><a id="desk-rejects-xlsx" class="button" href="#" download>Tải dòng bị loại (Excel)</a> <span class="sub">sửa trong Excel rồi nạp lại</span></p>' +
      '    <div class="desk-scroll"><table id="desk-rejects" class="figtable"><thead><tr><th>Tệp</th><th>Dòng</th><th>Cột</th><th>Giá trị</th><th>Lý do</th><th>Xã gần nhất</th></tr></thead><tbody></tbody></table></div></div>' +
      '  </div>' +
      ' </div>' +
      '</div>' +
      '<h3>Lịch sử nạp</h3>' +
      '<div class="desk-scroll"><table id="desk-batches" class="figtable"><thead><tr><th>Lô</th><th>Lúc</th><th>Người nạp</th><th>Tệp</th><th>Loại</th><th>Đọc</th><th>Nạp</th><th>Loại bỏ</th><th>Trùng</th><th>Bỏ qua</th><th>Trạng thái</th><th></th></tr></thead><tbody></tbody></table></div>' +
      '<dialog id="desk-confirm-undo"><form method="dialog"><p id="desk-undo-text"></p><p class="sub">Các dòng của lô sẽ biến mất khỏi mọi số liệu, bản đồ, biểu đồ và tệp xuất.</p>' +
      '<button value="no" class="button">Không</button> <button value="yes" class="button danger" id="desk-undo-yes">Hoàn tác</button></form></dialog>';
    var main = $('main');
    main.parentNode.insertBefore(d, main);

    var kind = $('desk-kind');
    KINDS.forEach(function (k) { var o = el('option', '', k[1]); o.value = k[0]; kind.appendChild(o); });
    var tpl = $('desk-templates');
    ['models', 'sites', 'grades', 'incidents'].forEach(function (k, i) {
      var a = el('a', '', KIND_VI[k]);
      a.href = '/api/v1/admin/templates/' + k + '.xlsx';
      a.setAttribute('download', '');
      if (i) { tpl.appendChild(document.createTextNode(', ')); }
      tpl.appendChild(a);
    });
    $('desk-close').addEventListener('click', function () { toggle(false); });
    $('desk-files').addEventListener('change', function (e) { addFiles(e.target.files); e.target.value = ''; });
    var drop = $('desk-drop');
    ['dragenter', 'dragover'].forEach(function (ev) { drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add('over'); }); });
    ['dragleave', 'drop'].forEach(function (ev) { drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove('over'); }); });
    drop.addEventListener('drop', function (e) { if (e.dataTransfer) { addFiles(e.dataTransfer.files); } });
    $('desk-form').addEventListener('submit', function (e) { e.preventDefault(); upload(); });
  }

  function toggle(on) {
    $('desk').classList.toggle('hidden', !on);
    if (on) { loadLimits(); loadBatches(); }
  }

  function addFiles(list) {
    for (var i = 0; i < list.length; i++) { files.push(list[i]); }
    drawFiles();
  }

  function drawFiles() {
    var ul = $('desk-filelist');
    ul.textContent = '';
    files.forEach(function (f, i) {
      var li = el('li', '', f.name + ' (' + sizeText(f.size) + ') ');
      var x = el('button', 'linkish', 'bỏ');
      x.type = 'button';
      x.addEventListener('click', function () { files.splice(i, 1); drawFiles(); });
      li.appendChild(x);
      ul.appendChild(li);
    });
  }

  function loadLimits() {
    return api('GET', '/api/v1/admin/uploads').then(function (l) {
      limits = l;
      $('desk-limits').textContent = 'Tối đa ' + sizeText(l.max_file_bytes) + ' một tệp, ' + sizeText(l.max_request_bytes) + ' một lần gửi.';
      var sel = $('desk-province');
      if (sel.options.length) { return; }
      var o = el('option', '', 'Theo tiêu đề báo cáo');
      o.value = '';
      sel.appendChild(o);
      (l.all_provinces ? [] : (l.provinces || [])).forEach(function (p) { var x = el('option', '', 'Mã tỉnh ' + p); x.value = p; sel.appendChild(x); });
      var prov = window.antqPage && window.antqPage.state && window.antqPage.state.province;
      if (l.all_provinces && prov && prov !== 'all') { var y = el('option', '', 'Tỉnh đang xem (' + prov + ')'); y.value = prov; sel.appendChild(y); }
    }, function (e) { showMsg(e.message, true); });
  }

  // ---- upload, preview, confirm ---------------------------------------

  function upload() {
    if (!files.length) { showMsg('Chưa chọn tệp nào.', true); return; }
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      total += files[i].size;
      if (limits && files[i].size > limits.max_file_bytes) {
        showMsg('Tệp ' + files[i].name + ' lớn hơn giới hạn ' + sizeText(limits.max_file_bytes) + ' một tệp.', true);
        return;
      }
    }
    if (limits && total > limits.max_request_bytes) { showMsg('Các tệp lớn hơn giới hạn ' + sizeText(limits.max_request_bytes) + ' một lần gửi.', true); return; }
    var fd = new FormData();
    files.forEach(function (f) { fd.append('file', f, f.name); });
    ['kind', 'province', 'district'].forEach(function (k) { var v = $('desk-' + k).value.trim(); if (v) { fd.append(k, v); } });
    showMsg('Đang gửi và đọc thử ' + files.length + ' tệp…');
    state('uploading');
    $('desk-preview-btn').disabled = true;
    api('POST', '/api/v1/admin/uploads?dry_run=1', fd).then(function (b) {
      files = [];
      drawFiles();
      showMsg('');
      show(b);
    }, function (e) { showMsg(e.message, true); state('error'); }).then(function () { $('desk-preview-btn').disabled = false; });
  }

  function countsLine(c) {
    return 'đọc ' + num(c.read) + ', nạp ' + num(c.loaded) + ', loại ' + num(c.rejected) + ', trùng ' + num(c.duplicates) + ', bỏ qua ' + num(c.skipped);
  }

  function table(head, rows) {
    var t = el('table', 'figtable');
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', '', h)); });
    var th = el('thead');
    th.appendChild(tr);
    t.appendChild(th);
    var tb = el('tbody');
    rows.forEach(function (r) {
      var x = el('tr');
      r.forEach(function (c) { x.appendChild(el('td', '', c)); });
      tb.appendChild(x);
    });
    t.appendChild(tb);
    return t;
  }

  function drawPreview(b) {
    var box = $('desk-preview');
    box.textContent = '';
    box.classList.remove('hidden');
    box.appendChild(el('h3', '', 'Xem trước lô ' + b.id + ' — chưa ghi gì'));
    var p = b.preview;
    (p.files || []).forEach(function (f) {
      box.appendChild(el('h4', '', f.name));
      if (f.error) { box.appendChild(el('p', 'bad', 'Lỗi: ' + f.error)); }
      (f.tables || []).forEach(function (t) {
        box.appendChild(el('p', 'sub', (t.sheet ? 'Trang ' + t.sheet + ' — ' : '') + (t.kind_name || t.kind) +
          (t.header_rows && t.header_rows.length ? '; dòng tiêu đề: ' + t.header_rows.join(', ') : '') + '; bối cảnh: ' + (t.context || 'không có')));
        box.appendChild(el('p', 'sub', 'Cột: ' + t.columns.map(function (c) { return c.header + ' → ' + (c.field || 'bỏ qua (giữ ở cột phụ)'); }).join('; ')));
        if (t.records.length) {
          var s = el('div', 'desk-scroll');
          s.appendChild(table(['Dòng', 'Nội dung', 'Ngày', 'Xã 2025', 'Cách xác định', 'Ghi trong tệp'], t.records.map(function (r) {
            return [r.row, r.text, r.date || '', r.commune + ' ' + (r.commune_name || ''), r.rule + ' (' + Number(r.confidence).toLocaleString('vi-VN') + ')', r.source_place];
          })));
          box.appendChild(s);
        }
        t.rejects.forEach(function (r) { box.appendChild(el('p', 'bad small', 'Dòng ' + r.row + ' sẽ bị loại: ' + r.reason)); });
        box.appendChild(el('p', 'small', 'Đếm: ' + countsLine(t.counts)));
      });
    });
    box.appendChild(el('p', 'strong', 'Tổng: ' + countsLine(p.counts)));
    var ok = el('button', 'button primary', 'Xác nhận nạp');
    ok.id = 'desk-confirm';
    ok.type = 'button';
    var no = el('button', 'button', 'Hủy');
    no.id = 'desk-cancel';
    no.type = 'button';
    ok.addEventListener('click', function () {
      ok.disabled = true;
      api('POST', '/api/v1/admin/batches/' + encodeURIComponent(b.id) + '/confirm').then(show, function (e) { showMsg(e.message, true); ok.disabled = false; });
    });
    no.addEventListener('click', function () {
      api('DELETE', '/api/v1/admin/batches/' + encodeURIComponent(b.id)).then(function () {
        box.classList.add('hidden');
        forget();
        showMsg('Đã hủy, không nạp gì.');
        state('cancelled');
        loadBatches();
      }, function (e) { showMsg(e.message, true); });
    });
    box.appendChild(ok);
    box.appendChild(document.createTextNode(' '));
    box.appendChild(no);
  }

  // show draws a batch: its preview, or its progress and summary.
  function show(b) {
    current = b;
    try { window.localStorage.setItem(STORE_KEY, b.id); } catch (e) { /* private mode */ }
    $('desk').classList.remove('hidden');
    if (b.status === 'preview') {
      $('desk-run').classList.add('hidden');
      drawPreview(b);
      state('preview');
      return;
    }
    $('desk-preview').classList.add('hidden');
    $('desk-run').classList.remove('hidden');
    drawRun(b);
    if (b.status === 'queued' || b.status === 'running') {
      state('running');
      poll(b.id);
    } else {
      state(b.status);
    }
  }

  function drawRun(b) {
    var pr = b.progress || { percent: 0, files: [] };
    $('desk-run-title').textContent = 'Lô ' + b.id + ': ' + (STATUS_VI[b.status] || b.status);
    $('desk-progress').value = pr.percent || 0;
    $('desk-percent').textContent = (pr.percent || 0) + ' %';
    $('desk-progress-text').textContent = (pr.files || []).map(function (f) { return f.name + ': ' + num(f.rows) + '/' + num(f.total) + ' dòng'; }).join('; ');
    var s = $('desk-summary');
    s.textContent = '';
    if (b.message) { s.appendChild(el('p', 'bad', b.message)); }
    if (b.summary) {
      var sm = b.summary;
      s.appendChild(el('p', 'strong', 'Kết quả: ' + countsLine(sm.counts)));
      var rows = [];
      Object.keys(sm.kinds || {}).forEach(function (k) { rows.push(['Loại: ' + (KIND_VI[k] || k), countsLine(sm.kinds[k])]); });
      Object.keys(sm.provinces || {}).sort().forEach(function (p) { rows.push([p ? provinceName(p) : 'Chưa xác định được tỉnh', countsLine(sm.provinces[p])]); });
      s.appendChild(table(['Theo', 'Số dòng'], rows));
      (sm.files || []).forEach(function (f) {
        s.appendChild(el('p', 'sub', f.name + ' (SHA-256 ' + (f.sha256 || '').slice(0, 12) + '…): ' + countsLine(f.counts) + (f.error ? ' — lỗi: ' + f.error : '') + (f.warning ? ' — ' + f.warning : '')));
      });
      if (sm.counts.rejected > 0) { loadRejects(b.id); } else { $('desk-rejects-box').classList.add('hidden'); }
    } else {
      $('desk-rejects-box').classList.add('hidden');
    }
  }

  function poll(id) {
    var gen = ++polling;
    function tick() {
      if (gen !== polling) { return; }
      api('GET', '/api/v1/admin/batches/' + encodeURIComponent(id)).then(function (b) {
        if (gen !== polling) { return; }
        current = b;
        drawRun(b);
        if (b.status === 'queued' || b.status === 'running') { setTimeout(tick, 400); return; }
        state(b.status);
        loadBatches();
        if (b.status === 'done') { figuresChanged(); }
      }, function (e) { showMsg(e.message, true); setTimeout(tick, 2000); });
    }
    tick();
  }

  function loadRejects(id) {
    api('GET', '/api/v1/admin/batches/' + encodeURIComponent(id) + '/rejects').then(function (r) {
      $('desk-rejects-box').classList.remove('hidden');
      $('desk-rejects-n').textContent = num(r.total) + (r.total > r.rejects.length ? ', hiện ' + num(r.rejects.length) + ' dòng đầu' : '');
      $('desk-rejects-xlsx').href = '/api/v1/admin/batches/' + encodeURIComponent(id) + '/rejects.xlsx';
      var tb = document.querySelector('#desk-rejects tbody');
      tb.textContent = '';
      r.rejects.forEach(function (x) {
        var tr = el('tr');
        [x.file + (x.sheet ? ' / ' + x.sheet : ''), x.row, x.field, x.value, x.reason, x.nearest || ''].forEach(function (c) { tr.appendChild(el('td', '', c)); });
        tb.appendChild(tr);
      });
    }, function (e) { showMsg(e.message, true); });
  }

  function forget() { try { window.localStorage.removeItem(STORE_KEY); } catch (e) { /* private mode */ } }

  // ---- batches ("Lịch sử nạp") and undo ------------------------------

  function loadBatches() {
    return api('GET', '/api/v1/admin/batches').then(function (r) {
      var tb = document.querySelector('#desk-batches tbody');
      tb.textContent = '';
      if (!r.batches.length) {
        var tr0 = el('tr');
        var td0 = el('td', 'sub', 'Chưa có lô nạp nào.');
        td0.colSpan = 12;
        tr0.appendChild(td0);
        tb.appendChild(tr0);
      }
      r.batches.forEach(function (b) {
        var tr = el('tr');
        tr.setAttribute('data-batch', b.id);
        var c = b.counts || {};
        var st = STATUS_VI[b.status] || b.status;
        if (b.status === 'undone' && b.undone_by) { st += ' (' + b.undone_by + ', ' + when(b.undone) + ')'; }
        [b.id, when(b.at), b.actor, (b.files || []).map(function (f) { return f.name; }).join(', '), (b.kinds || []).map(function (k) { return KIND_VI[k] || k; }).join(', '),
          num(c.read), num(c.loaded), num(c.rejected), num(c.duplicates), num(c.skipped), st].forEach(function (x) { tr.appendChild(el('td', '', x)); });
        var act = el('td');
        var open = el('button', 'linkish', 'Xem');
        open.type = 'button';
        open.addEventListener('click', function () { api('GET', '/api/v1/admin/batches/' + encodeURIComponent(b.id)).then(show, function (e) { showMsg(e.message, true); }); });
        act.appendChild(open);
        if (b.status === 'done') {
          var undo = el('button', 'linkish danger desk-undo', 'Hoàn tác');
          undo.type = 'button';
          undo.setAttribute('data-id', b.id);
          undo.addEventListener('click', function () { askUndo(b); });
          act.appendChild(document.createTextNode(' '));
          act.appendChild(undo);
        }
        if (b.source === 'web' && (b.status === 'undone' || b.status === 'failed')) {
          var again = el('button', 'linkish desk-rerun', 'Nạp lại');
          again.type = 'button';
          again.setAttribute('data-id', b.id);
          again.addEventListener('click', function () {
            api('POST', '/api/v1/admin/batches/' + encodeURIComponent(b.id) + '/rerun').then(show, function (e) { showMsg(e.message, true); });
          });
          act.appendChild(document.createTextNode(' '));
          act.appendChild(again);
        }
        tr.appendChild(act);
        tb.appendChild(tr);
      });
    }, function (e) { showMsg(e.message, true); });
  }

  function askUndo(b) {
    var dlg = $('desk-confirm-undo');
    $('desk-undo-text').textContent = 'Hoàn tác lô ' + b.id + ' (' + (b.files || []).map(function (f) { return f.name; }).join(', ') + ', ' + num((b.counts || {}).loaded) + ' dòng đã nạp)?';
    dlg.onclose = function () {
      if (dlg.returnValue !== 'yes') { return; }
      api('DELETE', '/api/v1/admin/batches/' + encodeURIComponent(b.id)).then(function (r) {
        var n = 0;
        Object.keys(r.removed || {}).forEach(function (k) { n += r.removed[k]; });
        showMsg('Đã hoàn tác lô ' + b.id + ': xóa ' + num(n) + ' bản ghi; số liệu đã tính lại.');
        state('undone');
        if (current && current.id === b.id) { current = r.batch; drawRun(r.batch); }
        loadBatches();
        figuresChanged();
      }, function (e) { showMsg(e.message, true); });
    };
    dlg.returnValue = '';
    dlg.showModal();
  }

  // ---- start: editors and admins signed in -----------------------------

  function check() {
    return fetch('/api/v1/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) { return r.json(); }).then(function (s) {
      session = s;
      checkedUser = s.user || '';
      // Only signed-in editors and admins get the desk (never anonymous
      // visitors of a public server, nor a server without sign-in).
      if (!s.user || (s.role !== 'editor' && s.role !== 'admin')) { return; }
      build();
      api('GET', '/api/v1/provinces').then(function (r) { (r.provinces || []).forEach(function (p) { provinceNames[p.code] = p.name; }); }, function () { /* codes only */ });
      $('desk-who').textContent = s.user ? 'Người nạp: ' + s.user + ' (' + (s.role === 'editor' ? 'Cán bộ nhập liệu' : 'Quản trị') + '), tỉnh được cấp: ' + (s.provinces || []).join(', ') : '';
      var id = null;
      try { id = window.localStorage.getItem(STORE_KEY); } catch (e) { /* private mode */ }
      if (id && !current) {
        api('GET', '/api/v1/admin/batches/' + encodeURIComponent(id)).then(function (b) {
          if (b.status === 'queued' || b.status === 'running' || b.status === 'preview') { toggle(true); show(b); }
        }, function () { forget(); });
      }
    }, function () { /* no session: nothing to show */ });
  }

  function start() {
    check();
    // After a sign-in the page draws itself (data-ready): check again.
    new MutationObserver(function () { if (!$('desk') && !checkedUser) { check(); } }).observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
  }

  window.antqDesk = { show: show, loadBatches: loadBatches };
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
