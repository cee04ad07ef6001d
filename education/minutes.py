"""A session's minutes as a Word document (python-docx), as units file them: the session's
facts, 第一议题's four fields (topic, form, attendees, summary) and the roster."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from docx import Document

from . import constants as c

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document(session, roster) -> bytes:
    doc = Document()
    doc.add_heading(session.topic, level=1)
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    attended = [a.person.name for a in roster if a.status in c.ATTENDED]
    excused = [a.person.name for a in roster if a.status == c.Status.EXCUSED]
    absent = [a.person.name for a in roster if a.status == c.Status.ABSENT]
    rows = [
        (_("Classroom"), session.classroom.name),
        (_("Form"), session.get_kind_display()),
        (
            _("Time"),
            f"{formats.date_format(starts, 'DATETIME_FORMAT')} – "
            f"{formats.date_format(ends, 'DATETIME_FORMAT')}",
        ),
        (_("Place"), session.place),
        (_("Speaker"), session.speaker),
        (_("Organizing units"), "、".join(u.name for u in session.units.all())),
        (
            _("Attendees"),
            _("%(attended)d of %(expected)d: %(names)s")
            % {"attended": len(attended), "expected": len(roster), "names": "、".join(attended)},
        ),
        (_("Excused"), "、".join(excused)),
        (_("Absent"), "、".join(absent)),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), value or ""
    doc.add_heading(str(_("Summary")), level=2)
    doc.add_paragraph(session.summary or "")
    doc.add_heading(str(_("Roster")), level=2)
    names = doc.add_table(rows=1, cols=3)
    names.style = "Table Grid"
    head = names.rows[0].cells
    head[0].text, head[1].text, head[2].text = str(_("Name")), str(_("Status")), str(_("Proof"))
    for attendance in roster:
        cells = names.add_row().cells
        cells[0].text = attendance.person.name
        cells[1].text = str(attendance.get_status_display())
        cells[2].text = str(attendance.get_proof_display()) if attendance.proof else ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def download(session, roster) -> HttpResponse:
    name = f"{timezone.localtime(session.starts_at):%Y%m%d}-{session.topic}.docx"
    response = HttpResponse(document(session, roster), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
