// Table rows built with textContent only: names from files (frames, cameras,
// features) are shown as text, never parsed as HTML.

export type Cell = string | number | null | { text: string; numeric?: boolean };

export function appendRow(body: HTMLTableSectionElement, cells: Cell[], className?: string): HTMLTableRowElement {
  const row = document.createElement('tr');
  if (className) row.className = className;
  for (const cell of cells) {
    const td = document.createElement('td');
    if (typeof cell === 'number') {
      td.textContent = formatNumber(cell);
      td.className = 'num';
    } else if (cell === null) {
      td.textContent = '—';
    } else if (typeof cell === 'string') {
      td.textContent = cell;
    } else {
      td.textContent = cell.text;
      if (cell.numeric) td.className = 'num';
    }
    row.append(td);
  }
  body.append(row);
  return row;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toPrecision(4);
}

/** Replaces a select's options (text only), keeping the current choice when it is still there. */
export function setOptions(select: HTMLSelectElement, values: readonly string[]): void {
  const current = select.value;
  select.replaceChildren(...values.map((value) => {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = value;
    return option;
  }));
  if (values.includes(current)) select.value = current;
}
