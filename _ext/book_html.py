"""Small fixes to the HTML that Jupyter Book 1.0.4 writes, found by the browser tests.

sphinx-thebe 0.3.1 registers its inline configuration script twice under Jupyter Book, so every
page declared ``const THEBE_JS_URL`` twice and stopped with a JavaScript SyntaxError. This
extension drops repeated scripts from each page, keeping the first of each.
"""

from __future__ import annotations


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # an inline script's filename is None or "": both mean "no file"
        key = (getattr(script, "filename", script) or "",
               repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
