"""Uses a running `cyberkg serve` as a person would: headless Chromium,
driven by Selenium, loads the home page, follows the link to an entity,
follows a mention of it to a paragraph, clicks a highlighted mention back
to the entity and its Wikidata link, reads a paragraph in its three
versions side by side, hovers over a Chinese sentence to see its English
counterparts highlighted, runs a query through the form, and searches the
text from the header's search box, following a hit to its paragraph.

Usage: browser_check.py BASE_URL   (e.g. http://127.0.0.1:7878)

Needs Debian's chromium and chromium-driver (paths given explicitly, so
Selenium never tries to download a browser or a driver) and the selenium
package. Every wait is bounded. Prints one line per check; exits 1 at the
first failure.
"""
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # A desktop window: on narrower screens the versions stack, by design.
    "--window-size=1280,900",
]
QUERY = """SELECT ?n ?title WHERE {
  ?chapter a doco:Chapter ; cyberkg:inEdition/dcterms:identifier "iscc2017/en-un" ;
     schema:position ?n ; dcterms:title ?title
} ORDER BY ?n"""


def fail(message):
    print(f"FAIL {message}")
    sys.exit(1)


def check(name, found, expected):
    if found != expected:
        fail(f"{name}: expected {expected!r}, found {found!r}")
    print(f"ok   {name}")


def driver():
    browser = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not browser or not chromedriver:
        fail("chromium and chromedriver must be installed (apt-get install chromium chromium-driver; see .ci/setup)")
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='cyberkg-chromium-')}")
    options.binary_location = browser
    chrome = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    chrome.set_page_load_timeout(60)
    return chrome


def main():
    base = sys.argv[1].rstrip("/")
    chrome = driver()
    wait = WebDriverWait(chrome, 30)
    try:
        chrome.get(base + "/")
        check("home page title", chrome.title.endswith("· cyberkg"), True)
        chapters = chrome.find_elements(By.CSS_SELECTOR, "a[href='/iscc2017/en-un/chapter-4']")
        check("home page links to chapter IV", [a.text for a in chapters], ["Chapter IV: Plan of action"])

        chrome.find_element(By.LINK_TEXT, "Shanghai Cooperation Organisation").click()
        heading = wait.until(expected_conditions.presence_of_element_located((By.TAG_NAME, "h1")))
        check("entity page heading", heading.text, "Shanghai Cooperation Organisation")
        check("entity path", chrome.current_url, base + "/entity/shanghai-cooperation-organization")
        names = [span.text for span in chrome.find_elements(By.CSS_SELECTOR, "span[lang='zh-Hans']")]
        check("Chinese name shown", "上海合作组织" in names, True)
        wikidata = chrome.find_element(By.LINK_TEXT, "Wikidata Q485207")
        check("Wikidata link", wikidata.get_attribute("href"), "http://www.wikidata.org/entity/Q485207")

        chrome.find_element(By.LINK_TEXT, "Chapter IV › Section 2 › Paragraph 2").click()
        wait.until(expected_conditions.url_to_be(base + "/iscc2017/en-un/chapter-4/section-2/paragraph-2"))
        mentions = chrome.find_elements(
            By.CSS_SELECTOR, "section.current a.mention[href='/entity/shanghai-cooperation-organization']"
        )
        check("paragraph highlights the mentions", [a.text for a in mentions], ["Shanghai Cooperation Organization", "SCO", "SCO"])

        # From the paragraph, a highlighted mention leads to its entity and on to Wikidata.
        mentions[1].click()
        wait.until(expected_conditions.url_to_be(base + "/entity/shanghai-cooperation-organization"))
        check("mention leads to its entity", chrome.find_element(By.TAG_NAME, "h1").text, "Shanghai Cooperation Organisation")
        check(
            "and on to Wikidata",
            chrome.find_element(By.LINK_TEXT, "Wikidata Q485207").get_attribute("href"),
            "http://www.wikidata.org/entity/Q485207",
        )

        # A paragraph of Chapter III in the three versions, side by side.
        chrome.get(base + "/iscc2017/en-un/chapter-3/section-1/paragraph-1")
        columns = chrome.find_elements(By.CSS_SELECTOR, "section.column")
        check(
            "three versions side by side",
            [column.find_element(By.TAG_NAME, "h2").text for column in columns],
            ["iscc2017/zh", "iscc2017/en-gov", "iscc2017/en-un"],
        )
        tops = {column.location["y"] for column in columns}
        lefts = [column.location["x"] for column in columns]
        check("the columns share a row, left to right", (len(tops), lefts == sorted(lefts)), (1, True))
        check("the Chinese column is in Chinese", columns[0].find_elements(By.CSS_SELECTOR, "[lang='zh-Hans']") != [], True)

        # Sentence by sentence: hovering over a Chinese sentence highlights
        # its English counterparts (its row), and nothing in other rows.
        chrome.get(base + "/iscc2017/zh/chapter-2/section-2/paragraph-1")
        sentence = chrome.find_element(
            By.CSS_SELECTOR, "span.sentence[data-sentence$='/iscc2017/zh/chapter-2/section-2/paragraph-1/sentence-1']"
        )
        group = sentence.get_attribute("data-group")
        counterparts = chrome.find_elements(
            By.CSS_SELECTOR, f"span.sentence[data-group='{group}']:not([lang='zh-Hans'])"
        )
        others = chrome.find_elements(By.CSS_SELECTOR, f"span.sentence:not([data-group='{group}'])")
        background = lambda element: element.value_of_css_property("background-color")
        check(
            "before hovering, no sentence is highlighted",
            {background(element) for element in counterparts + others},
            {"rgba(0, 0, 0, 0)"},
        )
        ActionChains(chrome).move_to_element(sentence).perform()
        check("the hovered sentence is highlighted", background(sentence), "rgba(255, 224, 102, 1)")
        check(
            "its English counterparts in both versions are highlighted, nothing else",
            (
                sorted({element.get_attribute("data-sentence").split("/")[5] for element in counterparts}),
                {background(element) for element in counterparts},
                {background(element) for element in others},
            ),
            (["en-gov", "en-un"], {"rgba(219, 233, 247, 1)"}, {"rgba(0, 0, 0, 0)"}),
        )

        chrome.get(base + "/")
        textarea = chrome.find_element(By.NAME, "query")
        textarea.clear()
        textarea.send_keys(QUERY)
        chrome.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table#results")))
        rows = chrome.find_elements(By.CSS_SELECTOR, "table#results tbody tr")
        cells = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]
        check(
            "query form shows the results as a table",
            cells,
            [
                ["1 xsd:integer", "Opportunities and challenges @en"],
                ["2 xsd:integer", "Basic principles @en"],
                ["3 xsd:integer", "Strategic goals @en"],
                ["4 xsd:integer", "Plan of action @en"],
            ],
        )
        check("the form keeps the query", chrome.find_element(By.NAME, "query").get_attribute("value"), QUERY)

        # The header's search box, in Traditional: the hits are the Simplified
        # paragraphs, their matches marked, each linking to its paragraph.
        box = chrome.find_element(By.CSS_SELECTOR, "header form[role=search] input[name=q]")
        box.send_keys("主權")
        chrome.find_element(By.CSS_SELECTOR, "header form[role=search] button[type=submit]").click()
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li")))
        marks = {mark.text for mark in chrome.find_elements(By.CSS_SELECTOR, "ol.hits mark")}
        check("the search marks the Simplified word", marks, {"主权"})
        first = chrome.find_element(By.CSS_SELECTOR, "ol.hits li a")
        target = first.get_attribute("href")
        first.click()
        wait.until(lambda browser: browser.current_url == target)
        check("a hit opens its part's page", chrome.find_element(By.TAG_NAME, "h1").text != "", True)
    finally:
        chrome.quit()


if __name__ == "__main__":
    main()
