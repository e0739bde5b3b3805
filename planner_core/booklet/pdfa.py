"""PDF/A-2b parts for an archived booklet: an sRGB output intent and XMP metadata that
identifies the file as PDF/A-2b and agrees with the document information dictionary.

The fonts are already embedded subsets (fonts.py), the booklet has no transparency groups,
encryption or JavaScript, and its link annotations are marked printable (document.py).
The sRGB ICC profile is generated with Pillow's littleCMS binding (ReportLab needs Pillow),
so no binary profile is shipped."""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfbase.pdfdoc import format as pdf_format

SRGB_CONDITION = "sRGB IEC61966-2.1"


class _PlainStream(PDFStream):
    """A stream written as is, with no /Filter entry (ReportLab writes «/Filter []» otherwise)."""

    def format(self, document):
        dictionary = PDFDictionary(self.dictionary.dict.copy())
        dictionary["Length"] = len(self.content)
        return pdf_format(dictionary, document) + b"\nstream\n" + self.content + b"endstream\n"


@cache
def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _xmp_date(ts) -> str:
    y, mo, d, h, mi, s = ts.YMDhms
    sign = "+" if ts.dhh >= 0 else "-"
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{sign}{abs(ts.dhh):02d}:{ts.dmm:02d}"


def xmp_packet(*, title: str, author: str, creator: str, producer: str, subject: str, keywords: str,
               date: str, lang: str) -> bytes:
    e = escape
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(lang)}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{e(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{e(producer)}</pdf:Producer>
   <pdf:Keywords>{e(keywords)}</pdf:Keywords>
   <pdf:Trapped>False</pdf:Trapped>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return xml.encode("utf-8")


def add_pdfa_parts(canv, lang: str = "fa-IR") -> None:
    """Add the output intent and the XMP metadata to the document being saved by ``canv``."""
    doc = canv._doc
    info = doc.info
    if info.subject in ("unspecified", "(unspecified)"):  # ReportLab's placeholder
        info.subject = info.title
    profile = _PlainStream(PDFDictionary({"N": 3}), srgb_profile())
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"),
        "S": PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": PDFString(SRGB_CONDITION),
        "Info": PDFString(SRGB_CONDITION),
        "RegistryName": PDFString("http://www.color.org"),
        "DestOutputProfile": doc.Reference(profile),
    })
    catalog = doc.Catalog
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]  # keys the catalog writes
    catalog.OutputIntents = PDFArray([doc.Reference(intent)])
    xmp = xmp_packet(title=info.title, author=info.author, creator=info.creator, producer=info.producer,
                     subject=info.subject, keywords=info.keywords, date=_xmp_date(doc._timeStamp), lang=lang)
    # Metadata streams stay uncompressed so archive tools can read them without a PDF parser.
    meta = _PlainStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), xmp)
    catalog.Metadata = meta  # written as a reference (a catalog "Refs" key)
