// Progressive enhancement of the replay form: the slider says which event it points at as it
// moves. Going there stays a deliberate press of the button (WCAG 3.2.2: no change of context
// on input), and the form works the same without JavaScript.
(function () {
  var form = document.getElementById('replay-form');
  var input = document.getElementById('at');
  var output = document.getElementById('at-output');
  if (!form || !input || !output) return;
  var template = form.getAttribute('data-template') || '{seq} / {of}';
  input.addEventListener('input', function () {
    output.textContent = template.replace('{seq}', input.value).replace('{of}', input.max);
  });
})();
