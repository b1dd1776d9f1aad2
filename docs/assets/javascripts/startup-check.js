// Why a page's scripts did not start, in Chinese, naming the file and the fix.
//
// A classic script on purpose: when a server sends `.mjs` files with a wrong MIME type (or lacks
// one), the browser refuses the page's module scripts and nothing of them runs, so only a classic
// script can still say so. Without it the status line kept "正在启动评分程序……" for ever and the
// buttons did nothing.
//
//   - On a page with a scorer status line (`data-testid="scorer-status"`), once the page has loaded:
//     if scorer-client.mjs never ran (it marks <html data-gm-modules="ran"> as it is evaluated, which
//     happens only when the page's whole module graph was fetched), the status line gets the reason.
//   - window.gmExplainScript(url) finds the reason for a module (and its static imports): a missing
//     file or a wrong type. scorer-client.mjs uses it when the scorer's worker script is refused.
(function () {
  "use strict";

  var JS_TYPE = /^(text|application)\/(x-)?(javascript|ecmascript)$/;
  var IMPORT = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
  var MAX_FILES = 24; // the module graphs here have fewer than ten files

  function shown(url) {
    return new URL(url, document.baseURI).pathname;
  }

  async function explain(url, seen) {
    if (seen.has(url) || seen.size >= MAX_FILES) return null;
    seen.add(url);
    var response;
    try {
      response = await fetch(url, { cache: "no-store" });
    } catch (error) {
      return "无法从服务器获取 " + shown(url) + "（网络错误）。请检查网络连接后刷新页面。";
    }
    if (!response.ok) {
      return "服务器上缺少 " + shown(url) + "（HTTP " + response.status + "）。请重新构建并完整部署网站。";
    }
    var type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
    if (!JS_TYPE.test(type)) {
      return "服务器以 " + (type || "未设置的") + " 类型提供 " + shown(url) + "，浏览器拒绝将其作为程序运行。" +
        "请在服务器配置中将 .mjs 文件的 MIME 类型设为 text/javascript（部署说明 DEPLOY.md 有示例）。";
    }
    var text = await response.text();
    var match;
    IMPORT.lastIndex = 0;
    var imports = [];
    while ((match = IMPORT.exec(text))) imports.push(new URL(match[1], url).href);
    for (var i = 0; i < imports.length; i++) {
      var reason = await explain(imports[i], seen);
      if (reason) return reason;
    }
    return null;
  }

  /** A Chinese reason why the module at `url` (or one it imports) cannot run, or null if none is found. */
  window.gmExplainScript = function (url) {
    return explain(new URL(url, document.baseURI).href, new Set()).catch(function () { return null; });
  };

  window.addEventListener("load", async function () {
    var status = document.querySelector('[data-testid="scorer-status"]');
    if (!status || document.documentElement.dataset.gmModules === "ran") return;
    var scripts = document.querySelectorAll('script[type="module"][src]');
    var reason = null;
    var seen = new Set();
    for (var i = 0; i < scripts.length && !reason; i++) reason = await explain(scripts[i].src, seen);
    if (document.documentElement.dataset.gmModules === "ran") return;
    var first = scripts.length ? shown(scripts[0].src) : "";
    var text = status.querySelector(".gm-status-text, .gmo-status-text") || status;
    status.dataset.state = "error";
    text.textContent = "本页的程序未能运行：" + (reason ||
      "浏览器未能加载 " + first + "。请刷新页面；仍失败请确认网站已完整部署，且服务器以 text/javascript 类型提供 .mjs 文件。");
  });
})();
