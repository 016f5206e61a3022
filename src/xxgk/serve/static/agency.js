"use strict";
(function () {
  var h = document.getElementById("a-title");
  var cid = h.getAttribute("data-cid"), fid = h.getAttribute("data-fid");
  var url = "/api/collections/" + cid + "/files/" + fid;
  xxgk.getJSON(url).then(function (res) {
    if (res.status !== 200) { xxgk.say(document.getElementById("status"), xxgk.errorText(res), true); return; }
    var f = res.json.file;
    h.textContent = f.agency + (f.year ? " " + f.year + "年" : "") + "：校验结果";
    document.title = f.agency + " · 校验结果";
    document.getElementById("back").textContent = res.json.collection.name;
    document.getElementById("a-meta").textContent = "文件 " + f.file_name + "，上传于 " + f.uploaded_at.replace("T", " ").slice(0, 19) + "。";
    document.getElementById("dl-original").href = url + "/original";
    xxgk.showFindings(res.json.validate, document.getElementById("verdict"), document.getElementById("findings"));
  });
})();
