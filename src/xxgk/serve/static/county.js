/* The county page: upload many workbooks, one row per agency, search and filters, downloads. */
"use strict";
(function () {
  var cid = document.getElementById("c-title").getAttribute("data-cid");
  var base = "/api/collections/" + cid;
  var status = document.getElementById("status");
  var notes = document.getElementById("upload-notes");
  var tbody = document.querySelector("#rows tbody");
  var q = document.getElementById("q"), st = document.getElementById("status-filter"), yr = document.getElementById("year-filter");
  var progressBox = document.getElementById("progress-box"), progress = document.getElementById("upload-progress");
  var timer = null;

  function params() {
    var p = new URLSearchParams();
    if (q.value.trim()) { p.set("q", q.value.trim()); }
    if (st.value) { p.set("status", st.value); }
    if (yr.value) { p.set("year", yr.value); }
    return p.toString();
  }

  function links() {
    var p = params();
    document.getElementById("dl-csv").href = base + "/summary.csv" + (p ? "?" + p : "");
    document.getElementById("dl-zip").href = base + "/reports.zip?to=docx" + (yr.value ? "&year=" + yr.value : "");
  }

  function render(doc) {
    document.getElementById("c-title").textContent = doc.name;
    document.title = doc.name + " · 县（市）汇总";
    var c = doc.counts;
    document.getElementById("c-counts").textContent = "共 " + doc.files + " 个文件：通过 " + c.passed + "，有警告 " + c.warnings +
      "，有错误 " + c.errors + "，无法读取 " + c.unreadable + (doc.expected.length ? "，缺报 " + c.missing : "") + "。";
    var keep = yr.value;
    yr.textContent = "";
    yr.appendChild(xxgk.el("option", { value: "", text: "全部" }));
    doc.years.forEach(function (y) { yr.appendChild(xxgk.el("option", { value: String(y), text: y + "年" })); });
    yr.value = keep;
    var ta = document.getElementById("expected");
    if (document.activeElement !== ta && !ta.dataset.touched) { ta.value = doc.expected.join("\n"); }
    tbody.textContent = "";
    doc.rows.forEach(function (r) {
      var name = r.file_id ? xxgk.el("a", { href: "/county/" + cid + "/files/" + r.file_id, text: r.agency }) : r.agency;
      tbody.appendChild(xxgk.el("tr", { "data-status": r.status }, [
        xxgk.el("td", {}, [name]),
        xxgk.el("td", { text: r.year === null ? "" : String(r.year) }),
        xxgk.el("td", {}, [xxgk.el("span", { "class": "sev " + (r.status === "errors" ? "error" : r.status === "warnings" ? "warning" : r.status), text: r.status_label })]),
        xxgk.el("td", { text: r.file_id ? String(r.errors) : "" }),
        xxgk.el("td", { text: r.file_id ? String(r.warnings) : "" }),
        xxgk.el("td", { text: r.file_name || "" }),
        xxgk.el("td", { text: r.uploaded_at ? r.uploaded_at.replace("T", " ").slice(0, 19) : "" })
      ]));
    });
    document.getElementById("shown").textContent = "显示 " + doc.rows.length + " 行。";
    links();
  }

  function load() {
    var p = params();
    return xxgk.getJSON(base + (p ? "?" + p : "")).then(function (res) {
      if (res.status !== 200) { xxgk.say(status, xxgk.errorText(res), true); return; }
      render(res.json);
    });
  }

  [st, yr].forEach(function (s) { s.addEventListener("change", load); });
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 200); });
  document.getElementById("filter-form").addEventListener("submit", function (ev) { ev.preventDefault(); load(); });

  document.getElementById("up-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var files = Array.prototype.slice.call(document.getElementById("files").files);
    if (!files.length) { xxgk.say(status, "请先选择文件（可一次选择多个）。", true); return; }
    var button = document.getElementById("upload");
    button.disabled = true;
    notes.textContent = "";
    var done = 0, failed = 0, next = 0, total = files.length;
    progressBox.hidden = false;
    progress.value = 0;
    function note(text, isError) { notes.appendChild(xxgk.el("li", { "class": isError ? "error" : "", text: text })); }
    function one() {
      if (next >= total) { return Promise.resolve(); }
      var f = files[next++];
      var fd = new FormData();
      fd.append("file", f);
      return xxgk.send("POST", base + "/files", fd, {}).then(function (res) {
        if (res.status === 200) {
          res.json.stored.forEach(function (s) { if (s.message) { note(s.message); } });
        } else { failed++; note(f.name + "：" + xxgk.errorText(res), true); }
      }, function (err) { failed++; note(f.name + "：" + err.message, true); }).then(function () {
        done++;
        progress.value = Math.round(100 * done / total);
        progress.textContent = progress.value + "%";
        xxgk.say(status, "已上传 " + done + " / " + total + " 个文件……");
        return one();
      });
    }
    Promise.all([one(), one(), one()]).then(function () {
      button.disabled = false;
      progressBox.hidden = true;
      xxgk.say(status, "上传完成：" + (total - failed) + " 个文件已保存" + (failed ? "，" + failed + " 个失败（见下方）" : "") + "。", failed > 0);
      document.getElementById("files").value = "";
      load();
    });
  });

  var folder = document.getElementById("folder");
  function loadFolders() {
    xxgk.send("GET", base + "/folders").then(function (res) {
      if (res.status !== 200) { return; }
      folder.textContent = "";
      if (!res.json.folders.length) {
        folder.appendChild(xxgk.el("option", { value: "", text: "（「收件」中没有文件夹：" + res.json.inbox + "）" }));
      }
      res.json.folders.forEach(function (f) {
        folder.appendChild(xxgk.el("option", { value: f.folder, text: f.folder + "（" + f.files + " 个文件）" }));
      });
    });
  }
  document.getElementById("folder-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!folder.value) { xxgk.say(status, "请先把工作簿复制到「收件」中的一个文件夹，再选择它。", true); return; }
    var button = document.getElementById("import-folder");
    button.disabled = true;
    notes.textContent = "";
    xxgk.say(status, "正在导入文件夹「" + folder.value + "」……");
    xxgk.send("POST", base + "/folder", { folder: folder.value }, { json: true }).then(function (res) {
      button.disabled = false;
      if (res.status !== 200) { xxgk.say(status, xxgk.errorText(res), true); return; }
      res.json.stored.forEach(function (s) { if (s.message) { notes.appendChild(xxgk.el("li", { text: s.message })); } });
      res.json.skipped.forEach(function (s) { notes.appendChild(xxgk.el("li", { "class": "error", text: s.name + "：" + s.reason })); });
      xxgk.say(status, "导入完成：" + res.json.stored.length + " 个文件已保存" + (res.json.skipped.length ? "，" + res.json.skipped.length + " 个未导入（见下方）" : "") + "。", res.json.skipped.length > 0);
      load();
    });
  });
  loadFolders();

  document.getElementById("expect-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var ta = document.getElementById("expected");
    var names = ta.value.split(/\r?\n/).map(function (s) { return s.trim(); }).filter(Boolean);
    xxgk.send("PUT", base + "/expected", { agencies: names }, { json: true }).then(function (res) {
      var box = document.getElementById("expect-status");
      if (res.status === 200) { xxgk.say(box, "名单已保存：" + res.json.expected.length + " 个单位。"); delete ta.dataset.touched; load(); }
      else { xxgk.say(box, xxgk.errorText(res), true); }
    });
  });
  document.getElementById("expected").addEventListener("input", function () { this.dataset.touched = "1"; });

  document.getElementById("sum-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var p = new URLSearchParams(new FormData(ev.target));
    window.location.href = base + "/aggregate?" + p.toString();
  });

  load();
})();
