#!/usr/bin/env node
// `node demos/render-icons.mjs`: renders the assistant's PNG icons from icon.svg in headless
// Chromium (the browser the e2e tests drive), for installers that take no SVG icon (issue 20).
// icon-192.png and icon-512.png are the SVG as it is, transparent outside its rounded square.
// icon-maskable-512.png fills the whole square with the background and shrinks the glyph to
// 80% around the centre, so any mask (circle, squircle) cuts only background: the spec's
// safe zone is the centred circle of 40% radius (https://www.w3.org/TR/appmanifest/#icon-masks).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch } from '../test/e2e/harness.mjs';

const DIR = join(ROOT, 'demos', 'assistant');
const svg = readFileSync(join(DIR, 'icon.svg'), 'utf8');

const ROUNDED = /<rect width="512" height="512" rx="112" fill="(#[0-9a-f]{6})"\/>/;
const background = ROUNDED.exec(svg)?.[1];
if (!background) throw new Error('icon.svg no longer starts with its rounded background square: update render-icons.mjs');
const maskable = svg
  .replace(ROUNDED, `<rect width="512" height="512" fill="${background}"/><g transform="translate(256 256) scale(0.8) translate(-256 -256)">`)
  .replace('</svg>', '</g></svg>');

const ICONS = [
  { file: 'icon-192.png', size: 192, svg },
  { file: 'icon-512.png', size: 512, svg },
  { file: 'icon-maskable-512.png', size: 512, svg: maskable },
];

const browser = await launch();
try {
  const page = await browser.newPage();
  for (const icon of ICONS) {
    await page.setViewport({ width: icon.size, height: icon.size, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(icon.svg).toString('base64')}`;
    await page.setContent(`<body style="margin:0;background:transparent"><img src="${src}" width="${icon.size}" height="${icon.size}" style="display:block"></body>`, { waitUntil: 'load' });
    const png = await page.screenshot({ type: 'png', omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } });
    writeFileSync(join(DIR, icon.file), png);
    console.log(`demos/assistant/${icon.file}: ${icon.size}x${icon.size}, ${png.length} bytes`);
  }
} finally {
  await browser.close();
}
