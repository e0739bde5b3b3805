"""`--pdfa`: the parts PDF/A-2b requires, checked structurally (veraPDF, a Java tool, cannot be
installed offline here): embedded fonts, an sRGB output intent, XMP metadata with pdfaid that
agrees with the information dictionary, printable annotations, no encryption or JavaScript."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from planner_core.booklet import BookletOptions, render_booklet
from tests.core.test_booklet_support import hard_strings_doc

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/"}


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    out = tmp_path_factory.mktemp("بایگانی") / "برنامه.pdf"
    render_booklet(hard_strings_doc(), out, BookletOptions(pdfa=True))
    return PdfReader(out)


def test_output_intent_carries_an_srgb_icc_profile(archived):
    intents = archived.trailer["/Root"]["/OutputIntents"]
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    profile = intent["/DestOutputProfile"].get_object()
    data = profile.get_data()
    assert profile["/N"] == 3 and data[36:40] == b"acsp" and data[16:20] == b"RGB "


def test_xmp_metadata_names_pdfa_2b_and_agrees_with_the_info_dictionary(archived):
    meta = archived.trailer["/Root"]["/Metadata"].get_object()
    assert meta["/Subtype"] == "/XML" and "/Filter" not in meta
    raw = meta.get_data()
    assert raw.startswith(b"<?xpacket begin=") and raw.rstrip().endswith(b'<?xpacket end="w"?>')
    xml = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", raw))
    assert xml.find(".//pdfaid:part", NS).text == "2"
    assert xml.find(".//pdfaid:conformance", NS).text == "B"
    info = archived.metadata
    assert xml.find(".//dc:title//rdf:li", NS).text == info["/Title"]
    assert xml.find(".//pdf:Producer", NS).text == info["/Producer"]
    assert xml.find(".//xmp:CreatorTool", NS).text == info["/Creator"]
    assert xml.find(".//dc:description//rdf:li", NS).text == info["/Subject"]
    created = xml.find(".//xmp:CreateDate", NS).text  # 2026-11-30T16:18:38+00:00
    pdf_date = info["/CreationDate"]  # D:20261130161838+00'00'
    assert re.sub(r"[-:T+]", "", created)[:14] == pdf_date[2:16]


def test_every_font_is_embedded_and_annotations_print(archived):
    assert "/Encrypt" not in archived.trailer and "/ID" in archived.trailer
    assert "/JavaScript" not in archived.trailer["/Root"] and "/Names" not in archived.trailer["/Root"]
    for page in archived.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
        for annot in page.get("/Annots") or []:
            assert int(annot.get_object()["/F"]) & 4


def test_without_the_option_no_pdfa_claim_is_made(tmp_path):
    out = tmp_path / "plain.pdf"
    render_booklet(hard_strings_doc(), out)
    root = PdfReader(out).trailer["/Root"]
    assert "/OutputIntents" not in root and "/Metadata" not in root
