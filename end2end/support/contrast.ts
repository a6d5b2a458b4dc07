import type { Locator } from '@playwright/test';

export type Contrast = { text: string; ratio: number };

/**
 * The WCAG contrast ratio of each element's text colour against the background actually
 * behind it (the nearest ancestor-or-self with an opaque enough background). axe reports
 * overlapping elements, such as an open menu over a card, as "needs review" instead of a
 * violation, so the menus are measured here directly.
 */
export async function textContrast(elements: Locator): Promise<Contrast[]> {
  return elements.evaluateAll((nodes) => {
    // Computed colours come as `rgb(…)`, `rgba(…)` or, for color-mix(), `color(srgb r g b / a)`.
    const parse = (value: string): [number, number, number, number] => {
      const srgb = /color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)/.exec(value);
      if (srgb) return [+srgb[1] * 255, +srgb[2] * 255, +srgb[3] * 255, srgb[4] === undefined ? 1 : +srgb[4]];
      const rgb = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:[,/] ?([\d.]+))?\)/.exec(value);
      if (rgb) return [+rgb[1], +rgb[2], +rgb[3], rgb[4] === undefined ? 1 : +rgb[4]];
      throw new Error(`unknown colour ${value}`);
    };
    const over = (top: number[], bottom: number[]) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return nodes.map((node) => {
      // Layers from the element outwards until one is opaque; then composite inwards.
      const layers: number[][] = [];
      for (let el: Element | null = node; el; el = el.parentElement) {
        const bg = parse(getComputedStyle(el).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let background = [255, 255, 255];
      for (const layer of layers.reverse()) background = over(layer, background);
      const fg = parse(getComputedStyle(node).color);
      const text = over(fg, background);
      const [hi, lo] = [luminance(text), luminance(background)].sort((a, b) => b - a);
      return { text: (node.textContent ?? '').trim(), ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 };
    });
  });
}
