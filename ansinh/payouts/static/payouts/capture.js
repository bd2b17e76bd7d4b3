/* The capture page: scan or pick a photo of a VietQR, have the server check it, fill in the form. */
(function () {
  "use strict";

  var panel = document.getElementById("scan");
  if (!panel || !window.AnsinhQR) { return; }
  var form = document.getElementById("capture-form");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var startButton = document.getElementById("scan-camera");
  var stopButton = document.getElementById("scan-stop");
  var fileInput = document.getElementById("scan-file");
  var field = function (name) { return form.querySelector("[name=" + name + "]"); };

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function cameraShown(shown) {
    video.hidden = !shown;
    stopButton.hidden = !shown;
    startButton.hidden = shown;
  }

  function check(text) {
    say(panel.dataset.textReading, false);
    return fetch(panel.dataset.checkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": panel.dataset.csrf },
      body: JSON.stringify({ text: text })
    })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (!result.ok) {
          say(result.error || panel.dataset.textFailed, true);
          return;
        }
        field("channel").value = result.bank_kind === "mobile_money" ? "mobile_money" : "bank";
        field("bank_bin").value = result.bank_bin;
        field("account_number").value = result.account_number;
        field("account_number_again").value = result.account_number;
        field("source").value = "scanned";
        field("qr_text").value = text;
        say(panel.dataset.textRead + " " + result.bank_name + " · " + result.account_number, false);
        field("holder_name").focus();
      })
      .catch(function () { say(panel.dataset.textFailed, true); });
  }

  function failed(error) {
    if (error && error.message === "stopped") { return; }
    say(error && error.message === "no-qr" ? panel.dataset.textNoQr : panel.dataset.textNoCamera, true);
  }

  startButton.addEventListener("click", function () {
    cameraShown(true);
    say("", false);
    window.AnsinhQR.scanCamera(video)
      .then(function (text) { cameraShown(false); return check(text); })
      .catch(function (error) { cameraShown(false); failed(error); });
  });
  stopButton.addEventListener("click", function () { window.AnsinhQR.stop(); cameraShown(false); });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) { return; }
    window.AnsinhQR.scanFile(file).then(check).catch(failed);
  });

  // Typing over a scanned number makes it a typed entry again, which must then be entered twice.
  ["account_number", "account_number_again", "bank_bin"].forEach(function (name) {
    field(name).addEventListener("input", function () {
      field("source").value = "typed";
      field("qr_text").value = "";
    });
  });
})();
