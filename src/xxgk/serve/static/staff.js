/* The staff page: validate an upload, then download what it gives. */
"use strict";
(function () {
  var form = document.getElementById("upload-form");
  var fileInput = document.getElementById("file");
  var prevInput = document.getElementById("previous");
  var status = document.getElementById("status");
  var progressBox = document.getElementById("progress-box");
  var progress = document.getElementById("upload-progress");
  var result = document.getElementById("result");
  var dlStatus = document.getElementById("download-status");
  var hint = document.getElementById("download-hint");
  var lastDoc = null;

  function body() {
    var fd = new FormData();
    fd.append("file", fileInput.files[0]);
    if (prevInput.files.length) { fd.append("previous", prevInput.files[0]); }
    return fd;
  }

  function onProgress(loaded, total) {
    progressBox.hidden = false;
    var pct = Math.round(100 * loaded / total);
    progress.value = pct;
    progress.textContent = pct + "%";
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!fileInput.files.length) { xxgk.say(status, "请先选择要校验的文件。", true); return; }
    var button = document.getElementById("check");
    button.disabled = true;
    xxgk.say(status, "正在上传并校验……");
    xxgk.send("POST", "/api/validate", body(), { progress: onProgress }).then(function (res) {
      button.disabled = false;
      progressBox.hidden = true;
      if (res.status !== 200) { xxgk.say(status, xxgk.errorText(res), true); result.hidden = true; return; }
      lastDoc = res.json;
      xxgk.say(status, "校验完成：" + fileInput.files[0].name);
      result.hidden = false;
      xxgk.showFindings(lastDoc, document.getElementById("verdict"), document.getElementById("findings"));
      var isBook = /\.(xlsx|xlsm)$/i.test(fileInput.files[0].name);
      document.getElementById("dl-annotate").hidden = !isBook;
      hint.textContent = lastDoc.valid ? "报告没有错误，可以下载。" : "有错误时只能下载带标记的工作簿；改正后重新上传即可下载报告。";
      xxgk.say(dlStatus, "");
      document.getElementById("h-result").focus && document.getElementById("h-result").scrollIntoView();
    }, function (err) { button.disabled = false; xxgk.say(status, err.message, true); });
  });

  document.getElementById("downloads").addEventListener("click", function (ev) {
    var target = ev.target.closest("button[data-download]");
    if (!target || !fileInput.files.length) { return; }
    var kind = target.getAttribute("data-download");
    var url = kind === "annotate" ? "/api/annotate" : "/api/convert?to=" + kind + (document.getElementById("force").checked ? "&force=1" : "");
    xxgk.say(dlStatus, "正在生成……");
    xxgk.send("POST", url, body(), {}).then(function (res) {
      if (res.status === 200) {
        xxgk.save(res.blob, res.filename || "下载");
        xxgk.say(dlStatus, "已下载：" + (res.filename || ""));
      } else if (res.status === 422 && res.json && res.json.files) {
        xxgk.say(dlStatus, "报告有 " + res.json.errors + " 处错误，未生成。请改正后重新上传，或勾选「有错误也生成报告」。", true);
      } else { xxgk.say(dlStatus, xxgk.errorText(res), true); }
    }, function (err) { xxgk.say(dlStatus, err.message, true); });
  });
})();
