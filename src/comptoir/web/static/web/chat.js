// The assistant as a chat box: the form posts in the background and the answer joins the conversation.
// Without this script (or if the request fails) the form posts normally and the page shows the answer.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  var log = document.getElementById("conversation");
  if (!form || !log || !window.fetch || !window.FormData) { return; }
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("[name=question]");
    var question = input.value.trim();
    if (!question) { return; }
    event.preventDefault();
    var mine = document.createElement("div");
    mine.className = "bubble me";
    mine.textContent = question;
    log.appendChild(mine);
    var waiting = document.createElement("div");
    waiting.className = "bubble bot waiting";
    waiting.textContent = form.dataset.thinking || "…";
    log.appendChild(waiting);
    var body = new FormData(form);
    input.value = "";
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                        headers: {"X-Comptoir-Fragment": "1"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        waiting.remove();
        var holder = document.createElement("div");
        holder.innerHTML = html;  // server-rendered, escaped by Django's templates
        while (holder.firstChild) { log.appendChild(holder.firstChild); }
        form.scrollIntoView({block: "end"});
        input.focus();
      })
      .catch(function () {
        waiting.remove();
        input.value = question;
        form.submit();  // fall back to the plain form post
      });
  });
}());
