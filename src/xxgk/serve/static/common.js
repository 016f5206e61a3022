/* Shared by the pages: the CSRF token, uploads with progress, findings by sheet. */
"use strict";
var xxgk = (function () {
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function say(box, text, isError) {
    box.textContent = "";
    if (text) { box.appendChild(el("p", { "class": isError ? "error" : "", text: text })); }
  }

  /* POST a FormData with upload progress; resolves {status, json, blob, filename}. */
  function send(method, url, body, opts) {
    opts = opts || {};
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      if (opts.json) { xhr.setRequestHeader("Content-Type", "application/json"); }
      xhr.responseType = "blob";
      if (opts.progress && xhr.upload) {
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) { opts.progress(e.loaded, e.total); } };
      }
      xhr.onload = function () {
        var type = xhr.getResponseHeader("Content-Type") || "";
        var disp = xhr.getResponseHeader("Content-Disposition") || "";
        var m = /filename\*=UTF-8''([^;]+)/.exec(disp);
        var out = { status: xhr.status, blob: xhr.response, filename: m ? decodeURIComponent(m[1]) : "" };
        if (type.indexOf("application/json") === 0) {
          xhr.response.text().then(function (t) { out.json = JSON.parse(t); resolve(out); });
        } else { resolve(out); }
      };
      xhr.onerror = function () { reject(new Error("无法连接到本服务，请检查服务是否仍在运行。")); };
      xhr.send(opts.json ? JSON.stringify(body) : body);
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, json: j }; });
    });
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function errorText(res) {
    if (res.json && res.json.error) { return res.json.error; }
    return "请求未能完成（" + res.status + "）。";
  }

  var SEVERITY = { error: "错误", warning: "警告" };
  var SOURCE = "\u0000source";  /* the group of a published report's findings (never a sheet name) */

  /* Where in a published report: 第3页第12行, 第2个表格第5行第3列 (as check/findings.py says it). */
  function sourcePlace(s) {
    var out = s.page != null ? "第" + s.page + "页" : "";
    if (s.table != null) {
      out += "第" + s.table + "个表格" + (s.row != null ? "第" + s.row + "行" : "") + (s.column != null ? "第" + s.column + "列" : "");
    } else if (s.line != null) { out += "第" + s.line + "行"; }
    return out || "原文";
  }

  /* The validate document of one file, as the annotated copy shows it: by sheet, each finding
     at its cell with the message (which says how to fix it). */
  function showFindings(doc, verdict, box) {
    box.textContent = "";
    var file = doc.files[0];
    var findings = file ? file.findings : [];
    var e = doc.errors, w = doc.warnings;
    var unreadable = file && !file.valid && findings.length === 1 && findings[0].path === "" && !findings[0].sheet &&
      ["FILE_UNREADABLE", "IMPORT_UNREADABLE", "INTERNAL_ERROR", "WB_NOT_TEMPLATE", "WB_OLD_TEMPLATE", "WB_MISSING_SHEET", "WB_MISSING_NAME"].indexOf(findings[0].code) >= 0;
    if (unreadable) {
      verdict.textContent = "无法读取：" + findings[0].message;
      verdict.className = "verdict bad";
      return;
    }
    if (!e && !w) { verdict.textContent = "校验通过：没有发现问题。"; verdict.className = "verdict ok"; }
    else {
      verdict.textContent = (e ? "发现 " + e + " 处错误" : "没有错误") + (w ? "、" + w + " 处警告" : "") + (e ? "。请改正错误后重新上传。" : "。可以生成报告；请看一下警告。");
      verdict.className = "verdict " + (e ? "bad" : "warn");
    }
    var groups = [], bySheet = {};
    findings.forEach(function (f) {
      var key = f.sheet || (f.source ? SOURCE : "");
      if (!(key in bySheet)) { bySheet[key] = []; groups.push(key); }
      bySheet[key].push(f);
    });
    groups.forEach(function (sheet, gi) {
      var id = "g-" + gi;
      var section = el("section", { "class": "sheet-group", "aria-labelledby": id });
      var inSource = sheet === SOURCE;
      var title = inSource ? "原文中的位置" : sheet ? "工作表「" + sheet + "」" : "数据（JSON 路径）";
      section.appendChild(el("h3", { id: id, text: title }));
      var table = el("table", { "class": "findings" });
      table.appendChild(el("caption", { "class": "visually-hidden", text: (inSource ? "原文" : sheet || "数据") + "中的问题" }));
      table.appendChild(el("thead", {}, [el("tr", {}, [
        el("th", { scope: "col", text: sheet && !inSource ? "单元格" : "位置" }),
        el("th", { scope: "col", text: "级别" }),
        el("th", { scope: "col", text: "问题与改法" }),
        el("th", { scope: "col", text: "代码" })
      ])]));
      var body = el("tbody");
      bySheet[sheet].forEach(function (f) {
        var place = f.cell || (f.source ? sourcePlace(f.source) : f.path) || "整个文件";
        body.appendChild(el("tr", { "data-code": f.code, "data-cell": f.cell || "" }, [
          el("td", { "class": "cell", text: place }),
          el("td", {}, [el("span", { "class": "sev " + f.severity, text: SEVERITY[f.severity] || f.severity })]),
          el("td", { text: f.message }),
          el("td", { "class": "code", text: f.code })
        ]));
      });
      table.appendChild(body);
      section.appendChild(el("div", { "class": "table-box" }, [table]));
      box.appendChild(section);
    });
  }

  return { csrf: csrf, el: el, say: say, send: send, getJSON: getJSON, save: save, errorText: errorText, showFindings: showFindings };
})();
