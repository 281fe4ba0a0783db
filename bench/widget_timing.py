"""How fast the chat widget is, measured in the browser (headless Chromium).

    .venv/bin/python -m bench.widget_timing [--questions 50] [--loads 10]

Starts the action server, Rasa server and web app on free loopback ports, then
measures on the demo page:
- page load → widget ready: navigation start to the launcher shown (widget.js,
  widget.css loaded), and launcher click to the session confirmed by Rasa;
- send → answer shown: from submitting a question to the first answer bubble in
  the page (MutationObserver, performance.now()), p50/p95 over --questions;
- the widget's size gzipped, as a browser downloads it.
Prints a Markdown section and writes it to bench/RESULTS.md under
"Widget (issue 4)", replacing only that section.
"""
import argparse
import gzip
import statistics

from playwright.sync_api import sync_playwright

from bench.report import percentile, write_section
from bench.stack import serving_with_web
from bot.config import PROJECT_ROOT
from bench.models import SERVED_MODEL as MODEL
from bench.servers.chromium import CHROMIUM, CHROMIUM_ARGS, DESKTOP

HEADING = "## Widget (issue 4)"
COMMAND = ".venv/bin/python -m bench.widget_timing"
WIDGET_FILES = {
    "widget.js": PROJECT_ROOT / "bot" / "web" / "widget" / "widget.js",
    "widget.css": PROJECT_ROOT / "bot" / "web" / "widget" / "widget.css",
    "socket.io.min.js": PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
}
QUESTIONS = [
    "hvad er jobplaneten", "min søn søger fritidsjob", "hvordan kontakter jeg dem?", "hvad er get2sport",
    "hvad er helhedsplanen", "hvem betaler for det", "hvilke boligområder er med", "hvad er ssp",
    "jeg har brug for hjælp som forælder", "er der nogle aktiviteter for kvinder", "hvad laver bestyrelsen",
    "hvem kan jeg kontakte om det", "hvad er boligsocialt forum", "hvad er kommunens telefonnummer",
    "adressen på rådhuset", "kan min søn få en mentor", "hjælp til cv", "hvor længe løber den",
]
# Submit a question and resolve with the milliseconds until an answer bubble is in the page.
TIME_ONE_ANSWER = """async (question) => {
  const root = document.querySelector('#koege-chat').shadowRoot;
  const log = root.querySelector('.messages');
  const input = root.querySelector('#kc-input');
  const before = log.querySelectorAll('div.from-bot').length;
  return await new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (log.querySelectorAll('div.from-bot').length > before) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(log, {childList: true});
    setTimeout(() => reject(new Error('no answer in 30 s')), 30000);
    input.value = question;
    const start = performance.now();
    root.querySelector('form').requestSubmit();
  });
}"""


def gzipped_sizes() -> dict:
    return {name: (path.stat().st_size, len(gzip.compress(path.read_bytes(), 9))) for name, path in WIDGET_FILES.items()}


def measure(browser, web_url: str, loads: int, questions: int) -> dict:
    launcher_ms, connect_ms, answer_ms = [], [], []
    for _ in range(loads):
        context = browser.new_context(viewport=DESKTOP, locale="da-DK")
        page = context.new_page()
        page.goto(web_url)
        page.locator("#koege-chat[data-launcher=ready]").wait_for(state="attached")
        launcher_ms.append(page.evaluate("performance.getEntriesByName('koege-chat:launcher-ready')[0].startTime"))
        clicked = page.evaluate("performance.now()")
        page.locator("#koege-chat button.launcher").click()
        page.locator("#koege-chat[data-state=ready]").wait_for(state="attached")
        connect_ms.append(page.evaluate("performance.getEntriesByName('koege-chat:connected')[0].startTime") - clicked)
        context.close()

    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    page = context.new_page()
    page.goto(web_url)
    page.locator("#koege-chat button.launcher").click()
    page.locator("#koege-chat[data-state=ready]").wait_for(state="attached")
    for question in QUESTIONS[:3]:  # warm-up
        page.evaluate(TIME_ONE_ANSWER, question)
    for i in range(questions):
        if i and i % 5 == 0:  # conversations of five questions, as residents ask them
            page.locator("#koege-chat").get_by_role("button", name="Ny samtale").click()
            page.locator("#koege-chat[data-state=ready]").wait_for(state="attached")
        answer_ms.append(page.evaluate(TIME_ONE_ANSWER, QUESTIONS[i % len(QUESTIONS)]))
        page.wait_for_timeout(400)  # let the rest of a multi-part answer arrive
    context.close()
    return {"launcher": launcher_ms, "connect": connect_ms, "answer": answer_ms}


def report(results: dict, sizes: dict, loads: int, questions: int) -> str:
    launcher, connect, answer = results["launcher"], results["connect"], results["answer"]
    lines = [
        HEADING, "",
        f"Measured with `{COMMAND}` (headless Chromium, demo page, all servers on loopback).", "",
        "| figure | p50 | p95 |", "|---|---|---|",
        f"| page load → launcher shown (ms, {loads} fresh loads) | {statistics.median(launcher):.0f} "
        f"| {percentile(launcher, 0.95):.0f} |",
        f"| launcher click → connected to Rasa (ms, {loads} fresh loads) | {statistics.median(connect):.0f} "
        f"| {percentile(connect, 0.95):.0f} |",
        f"| send → answer shown (ms, {questions} questions) | {statistics.median(answer):.0f} "
        f"| {percentile(answer, 0.95):.0f} |",
        "", "| file | bytes | gzipped |", "|---|---|---|",
    ]
    lines += [f"| {name} | {raw:,} | {gz:,} |" for name, (raw, gz) in sizes.items()]
    total_raw, total_gz = sum(r for r, _ in sizes.values()), sum(g for _, g in sizes.values())
    lines += [f"| total | {total_raw:,} | {total_gz:,} |", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--loads", type=int, default=10)
    args = parser.parse_args()
    with serving_with_web(MODEL) as stack, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        results = measure(browser, f"{stack.web_url}/", args.loads, args.questions)
        browser.close()
    section = report(results, gzipped_sizes(), args.loads, args.questions)
    print(section)
    write_section(HEADING, section)


if __name__ == "__main__":
    main()
