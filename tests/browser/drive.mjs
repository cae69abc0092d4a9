// drive.mjs: one step of a browser test, in Debian's Chromium driven by
// playwright-core (no browser download). Each step opens a page, does
// one thing a person would do, saves a screenshot, and prints what the
// page then says, for the shell test to check.
//
//   node drive.mjs text  URL SELECTOR SHOT.png          print the element's text
//   node drive.mjs click URL SELECTOR SHOT.png          press it, print the h1 after
//   node drive.mjs sign  URL FIRST LAST EMAIL SHOT.png  fill the form, sign, print
//                                                       what the page says
import { chromium } from 'playwright-core';

const [, , step, url, ...rest] = process.argv;
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update',
		'--disable-sync'],
});
let code = 0;
try {
	const page = await browser.newPage();
	const errors = [];
	// A page that breaks its own CSP says so in the console.
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	await page.goto(url);
	if (step === 'text') {
		const [selector, shot] = rest;
		await page.screenshot({ path: shot, fullPage: true });
		console.log((await page.locator(selector).innerText()).trim());
	} else if (step === 'click') {
		const [selector, shot] = rest;
		await Promise.all([page.waitForNavigation(), page.click(selector)]);
		await page.screenshot({ path: shot, fullPage: true });
		console.log((await page.locator('h1').innerText()).trim());
	} else if (step === 'sign') {
		const [first, last, email, shot] = rest;
		await page.fill('#first_name', first);
		await page.fill('#last_name', last);
		await page.fill('#email', email);
		await page.fill('#postcode', '75011');
		await page.check('input[name=consent][value=yes]');
		await Promise.all([page.waitForNavigation(), page.click('#sign')]);
		await page.screenshot({ path: shot, fullPage: true });
		console.log((await page.locator('#check-email').innerText()).trim());
	} else {
		throw new Error(`unknown step '${step}'`);
	}
	for (const e of errors)
		console.log(`console error: ${e}`);
} catch (e) {
	console.error(`drive.mjs: ${step} ${url}: ${e.message}`);
	code = 1;
} finally {
	await browser.close();
}
process.exit(code);
