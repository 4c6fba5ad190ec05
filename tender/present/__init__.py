"""What goes out on paper: templates, letters, the evaluation report, the audit page, exports.

Everything here turns data into files (:class:`~tender.present.render.Rendered`); :func:`~tender.present.render.publish` writes them under reports/.
"""
