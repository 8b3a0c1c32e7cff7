// Progressive help only: every page works without this script.
// 1. After a refused answer, the error summary gets the focus, so a screen reader reads it.
// 2. Live validation: when a typed field is left, the server's parser (the terminal's, with
//    its messages) says whether the answer would be refused; nothing is stored until the
//    form is sent.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  var form = document.querySelector("form.intake-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var check = form.getAttribute("action").replace("/intake/q/", "/intake/check/");
  var csrf = form.querySelector("input[name=csrf]").value;

  function show(input, message) {
    var id = input.id + "-error";
    var error = document.getElementById(id);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(
      function (part) { return part && part !== id; });
    var field = input.closest(".utrecht-form-field");
    if (!message) {
      if (error && error.dataset.live) {
        error.remove();
        input.removeAttribute("aria-invalid");
        if (field) { field.classList.remove("utrecht-form-field--invalid"); }
        input.setAttribute("aria-describedby", described.join(" "));
      }
      return;
    }
    if (!error) {
      error = document.createElement("div");
      error.className = "utrecht-form-field-error-message";
      error.id = id;
      error.dataset.live = "1";
      error.setAttribute("aria-live", "polite");
      input.closest(".utrecht-form-field__input").before(error);
    }
    error.textContent = message;
    input.setAttribute("aria-invalid", "true");
    if (field) { field.classList.add("utrecht-form-field--invalid"); }
    described.push(id);
    input.setAttribute("aria-describedby", described.join(" "));
  }

  form.querySelectorAll("input[data-kind]").forEach(function (input) {
    input.addEventListener("change", function () {
      var body = new FormData();
      body.append("csrf", csrf);
      body.append("field", input.name);
      body.append("value", input.value);
      fetch(check, {method: "POST", body: body, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer) { show(input, answer.message); } })
        .catch(function () { /* the form, sent, says it all the same */ });
    });
  });
})();
