/* The LIX of a Danish text, updated while staff type it (the entry form's
 * "Kort svar" and "Mere om emnet"). Without this script the server shows the
 * LIX of the saved or previewed text; this only keeps it current while typing.
 *
 * lix() is bot/language/lix.py's, line for line: words per sentence plus the
 * percentage of words longer than six letters; links, e-mail addresses and
 * phone numbers are not words. tests/web/browser/test_translations.py holds
 * the two to the same figures. The sentences come from the page (data-lix-*),
 * so their wording lives in one place: bot/web/admin/translation_forms.py.
 */
(function () {
  "use strict";

  // Python's [^\W\d_]: letters, and numbers that are not digits.
  var LETTER = "[\\p{L}\\p{Nl}\\p{No}]";
  var WORD_CHAR = "[\\p{L}\\p{N}_]";
  var NOT_WORDS = new RegExp(
    "https?://\\S+|\\S+@\\S+|(?<!" + WORD_CHAR + ")[\\p{L}\\p{N}_.-]+\\.(?:dk|com|org|net)(?!" + WORD_CHAR + ")\\S*",
    "giu");
  var WORD = new RegExp(LETTER + "+(?:[-']" + LETTER + "+)*", "gu");
  var HAS_WORD = new RegExp(LETTER, "u");
  // A sentence ends at . ! ? : or a line break; "fx." and "tlf." do not end one.
  var SENTENCE_END = new RegExp(
    "(?<!(?:^|[^\\p{L}\\p{N}_])fx)(?<!(?:^|[^\\p{L}\\p{N}_])tlf)[.!?:]+(?=\\s|$)|\\n+", "u");
  var LONG_WORD = 6;

  function lix(text) {
    text = text.replace(NOT_WORDS, " ");
    var words = text.match(WORD) || [];
    if (!words.length) {
      return 0;
    }
    var sentences = text.split(SENTENCE_END).filter(function (part) { return HAS_WORD.test(part); }).length;
    var long = words.filter(function (word) { return Array.from(word).length > LONG_WORD; }).length;
    return words.length / Math.max(1, sentences) + 100 * long / words.length;
  }

  // Python's round(): halves to the even number.
  function roundHalfEven(value) {
    var floor = Math.floor(value);
    var rest = value - floor;
    if (rest > 0.5 || (rest === 0.5 && floor % 2 !== 0)) {
      return floor + 1;
    }
    return floor;
  }

  function show(note, field) {
    if (!field.value.trim()) {
      note.hidden = true;
      note.textContent = "";
      return;
    }
    var value = roundHalfEven(lix(field.value));
    var hard = value > Number(note.dataset.lixLimit);
    note.textContent = (hard ? note.dataset.lixHard : note.dataset.lixEasy).replace("{lix}", String(value));
    note.classList.toggle("hard", hard);
    note.hidden = false;
  }

  function watch(note) {
    var field = document.getElementById(note.dataset.lixFor);
    if (!field) {
      return;
    }
    var timer = null;
    // After a pause in the typing, so a screen reader is not told at every key.
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { show(note, field); }, 300);
    });
  }

  window.koegeLix = lix;
  Array.prototype.forEach.call(document.querySelectorAll("[data-lix-for]"), watch);
}());
