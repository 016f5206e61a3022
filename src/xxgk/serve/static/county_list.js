"use strict";
(function () {
  var list = document.getElementById("collections");
  var status = document.getElementById("status");
  function load() {
    xxgk.getJSON("/api/collections").then(function (res) {
      list.textContent = "";
      if (!res.json.collections.length) { list.appendChild(xxgk.el("li", { text: "还没有集合。请先新建一个。" })); }
      res.json.collections.forEach(function (c) {
        list.appendChild(xxgk.el("li", {}, [
          xxgk.el("a", { href: "/county/" + c.id, text: c.name }),
          "（" + c.files + " 个文件，建于 " + c.created.slice(0, 10) + "）"
        ]));
      });
    });
  }
  document.getElementById("new-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = document.getElementById("c-name").value;
    xxgk.send("POST", "/api/collections", { name: name }, { json: true }).then(function (res) {
      if (res.status === 201) { window.location.href = "/county/" + res.json.id; }
      else { xxgk.say(status, xxgk.errorText(res), true); }
    });
  });
  load();
})();
