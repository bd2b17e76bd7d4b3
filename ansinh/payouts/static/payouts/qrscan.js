/* Reading a QR code in the browser with jsQR (vendored), from the camera or from a photo.
 *
 * window.AnsinhQR = { scanCamera(videoEl): Promise<string>, scanFile(file): Promise<string>, stop() }
 * Needs vendor/jsqr/jsQR.js loaded first. Not BarcodeDetector: it is missing on many phones.
 * Reused by the offline survey, so it depends on nothing else of the site.
 */
(function () {
  "use strict";

  var MAX_SIDE = 1600; // larger photos are scaled down: jsQR's time grows with the pixel count
  var FRAME_MS = 120;
  var stream = null;
  var timer = null;
  var pending = null; // the reject function of a camera scan in progress

  function decode(imageData) {
    var result = window.jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: "attemptBoth" });
    return result && result.data ? result.data : null;
  }

  function canvasFor(width, height) {
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }

  function readPixels(source, width, height) {
    var canvas = canvasFor(width, height);
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, width, height);
    return context.getImageData(0, 0, width, height);
  }

  function stop() {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (stream !== null) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    if (pending !== null) {
      var reject = pending;
      pending = null;
      reject(new Error("stopped"));
    }
  }

  function scanCamera(video) {
    stop();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject(new Error("no-camera"));
    }
    return new Promise(function (resolve, reject) {
      pending = reject;
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          if (pending !== reject) { // stopped while the permission prompt was open
            media.getTracks().forEach(function (track) { track.stop(); });
            return;
          }
          stream = media;
          video.srcObject = media;
          video.muted = true;
          video.setAttribute("playsinline", "");
          return video.play().then(function () {
            var tick = function () {
              if (stream === null) { return; }
              if (video.readyState >= 2 && video.videoWidth > 0) {
                var scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
                var text = decode(readPixels(video, Math.round(video.videoWidth * scale), Math.round(video.videoHeight * scale)));
                if (text !== null) {
                  pending = null;
                  stop();
                  resolve(text);
                  return;
                }
              }
              timer = setTimeout(tick, FRAME_MS);
            };
            tick();
          });
        })
        .catch(function (error) {
          if (pending === reject) { pending = null; }
          stop();
          reject(error instanceof Error ? error : new Error("no-camera"));
        });
    });
  }

  function loadImage(file) {
    if (window.createImageBitmap) {
      return window.createImageBitmap(file);
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not-an-image")); };
      image.src = url;
    });
  }

  function scanFile(file) {
    return loadImage(file).then(function (image) {
      var width = image.width;
      var height = image.height;
      // Try the photo at a working size, then smaller: a QR code filling a huge photo decodes better scaled down.
      var sides = [MAX_SIDE, 800, 400];
      for (var i = 0; i < sides.length; i += 1) {
        var scale = Math.min(1, sides[i] / Math.max(width, height));
        var text = decode(readPixels(image, Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))));
        if (text !== null) { return text; }
      }
      throw new Error("no-qr");
    });
  }

  window.AnsinhQR = { scanCamera: scanCamera, scanFile: scanFile, stop: stop };
})();
