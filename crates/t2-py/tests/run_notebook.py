"""Runs a notebook's code cells in order, as Jupyter would, without a kernel: each cell's last expression is
"displayed" through the richest representation it has (``_repr_html_``, ``_repr_svg_``, else ``repr``).

    python crates/t2-py/tests/run_notebook.py examples/t2_in_a_notebook.ipynb

Prints one JSON line per code cell: its index, the representation used and its length. Exit status 1 (with the
cell and the traceback) when a cell raises.
"""

import ast
import json
import sys
import traceback


def display(value):
    """The (kind, text) Jupyter would show for ``value``."""
    for kind in ("_repr_html_", "_repr_svg_"):
        method = getattr(value, kind, None)
        if method is not None:
            text = method()
            if text is not None:
                return kind, text
    return "repr", repr(value)


def run(path):
    notebook = json.load(open(path))
    namespace = {"__name__": "__main__"}
    shown = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"cell {index}", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), f"cell {index}", "eval"), namespace)
            kind, text = display(value)
            shown.append({"cell": index, "kind": kind, "length": len(text), "start": text[:200]})
    return shown


if __name__ == "__main__":
    try:
        for line in run(sys.argv[1]):
            print(json.dumps(line))
    except Exception:
        traceback.print_exc()
        sys.exit(1)
