// A fix for one of antd's internals: a table that measures its columns (fixed layout, horizontal scroll) renders
// a hidden "measure row" (aria-hidden) holding copies of the column titles, and a title with a control in it
// (the select-all checkbox, a sort or filter button) leaves a focusable copy inside aria-hidden content: a
// keyboard user can tab into an invisible control, and assistive technology is told the element is not there
// (axe-core: aria-hidden-focus). Marking the row inert takes those copies out of the tab order.
export function keepMeasureRowsInert(root: Document = document): () => void {
  const mark = (scope: ParentNode) => {
    for (const row of scope.querySelectorAll('tr.ant-table-measure-row:not([inert])'))
      row.setAttribute('inert', '');
  };
  mark(root);
  const observer = new MutationObserver((changes) => {
    for (const c of changes)
      for (const n of c.addedNodes)
        if (n instanceof Element) mark(n.matches('tr') ? (n.parentElement ?? n) : n);
  });
  observer.observe(root.body, { childList: true, subtree: true });
  return () => observer.disconnect();
}
