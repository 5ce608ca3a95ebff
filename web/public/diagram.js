// Draws the case's BPMN diagram with the bpmn-js viewer (served from node_modules) and marks
// completed, active and failed elements; due dates and timers are shown beside their elements.
(function () {
  var data = document.getElementById('diagram-data');
  var container = document.getElementById('diagram');
  if (!data || !container || typeof window.BpmnJS !== 'function') return;
  var model = JSON.parse(data.textContent);
  var viewer = new window.BpmnJS({ container: container });
  viewer.importXML(model.xml).then(function () {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var overlays = viewer.get('overlays');
    canvas.zoom('fit-viewport', 'auto');
    // A large model fitted into the box is too small to read: start near the first active step.
    var first = (model.markers.active || []).map(function (id) { return registry.get(id); }).filter(Boolean)[0];
    if (first && canvas.zoom() < 0.6) {
      canvas.zoom(0.9);
      canvas.scrollToElement(first);
    }
    // Zoom buttons (the canvas also pans by dragging and zooms with the wheel).
    var bar = document.createElement('div');
    bar.className = 'govuk-button-group camau-diagram__controls';
    [['zoom-in', 1.25], ['zoom-out', 0.8], ['fit', 0]].forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-2';
      button.textContent = container.getAttribute('data-' + b[0]) || b[0];
      button.addEventListener('click', function () {
        if (b[1]) canvas.zoom(Math.min(4, Math.max(0.1, canvas.zoom() * b[1])));
        else canvas.zoom('fit-viewport', 'auto');
      });
      bar.appendChild(button);
    });
    container.parentNode.insertBefore(bar, container);
    function mark(ids, cls) {
      (ids || []).forEach(function (id) { if (registry.get(id)) canvas.addMarker(id, cls); });
    }
    mark(model.markers.done, 'camau-done');
    mark(model.markers.active, 'camau-active');
    mark(model.markers.incident, 'camau-incident');
    (model.markers.overlays || []).forEach(function (o) {
      if (!registry.get(o.id)) return;
      var el = document.createElement('div');
      el.className = 'camau-overlay';
      el.textContent = o.text;
      overlays.add(o.id, o.kind === 'due' ? { position: { top: -24, left: 0 }, html: el } : { position: { bottom: -6, right: -6 }, html: el });
    });
    // The drawing is a picture, named for screen readers; the tables beside it say the same.
    var svg = container.querySelector('svg');
    if (svg) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', container.getAttribute('data-label') || '');
      svg.removeAttribute('tabindex');
    }
    container.querySelectorAll('.djs-container[tabindex], svg [tabindex]').forEach(function (n) { n.removeAttribute('tabindex'); });
    container.setAttribute('data-ready', 'true');
  }).catch(function (err) {
    container.setAttribute('data-error', String(err && err.message || err));
  });
})();
