"""What the PyInstaller spec and ``dev.py package`` share: modules to name, modules to leave out.

Kept out of the spec so a test can check it against the code (every connector named, nothing the
app imports excluded) without running PyInstaller.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

#: Qt for Python modules the app never imports; leaving them out keeps the bundle small.
#: The app uses QtCore, QtGui, QtWidgets and QtPrintSupport (print preview of the crisis plan);
#: matplotlib's Qt canvas uses the same three.
QT_EXCLUDES: tuple[str, ...] = tuple(
    f"PySide6.{name}"
    for name in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
        "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus",
        "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation",
        "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc",
        "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQml",
        "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets",
        "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
        "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest",
        "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
        "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
    )
)  # fmt: skip


def connector_modules() -> list[str]:
    """The connector modules the registry imports by name at run time."""
    from crisisdesk.sources.platforms.registry import PLATFORMS

    return sorted({info.module for info in PLATFORMS.values()})


def write_windows_version_file(path: Path) -> str:
    """Write the Windows version resource (file properties → Details) and return its path."""
    from crisisdesk import __version__

    parts = [int(p) for p in __version__.split(".")[:3]]
    numbers = tuple([*parts, 0, 0, 0, 0][:4])
    fields = {
        "CompanyName": "crisisdesk contributors",
        "FileDescription": "crisisdesk — notice a backlash early, answer well, follow a plan",
        "FileVersion": __version__,
        "InternalName": "crisisdesk",
        "LegalCopyright": "MIT licence",
        "OriginalFilename": "crisisdesk.exe",
        "ProductName": "crisisdesk",
        "ProductVersion": __version__,
    }
    strings = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in fields.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
{strings}
    ])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
""",
        encoding="utf-8",
    )
    return str(path)


#: the GTK platform theme plugin pulls the whole GTK stack (~20 MB) into the bundle; Qt's own
#: Fusion look and dialogs serve the app, so it and the libraries only it needs stay out
_GTK_ONLY = (
    "libqgtk3", "libgtk-3", "libgdk-3", "libgdk_pixbuf", "libatk-1.0", "libatk-bridge",
    "libatspi", "libcairo", "libpango", "libepoxy", "libthai", "libdatrie", "libfribidi",
    "libgraphite2", "libpixman", "libharfbuzz",
)  # fmt: skip
#: matplotlib data the charts never use: sample data, PostScript/PDF core font metrics, and the
#: TeX/STIX fonts of math text (the charts draw plain labels in DejaVu Sans)
_UNUSED_DATA = (
    "mpl-data/sample_data/", "mpl-data/fonts/afm/", "mpl-data/fonts/pdfcorefonts/",
    "mpl-data/fonts/ttf/STIX", "mpl-data/fonts/ttf/cm", "mpl-data/fonts/ttf/DejaVuSerif",
    "mpl-data/fonts/ttf/DejaVuSansMono",
)  # fmt: skip


def keep_binary(dest: str) -> bool:
    """False for a collected library the app never loads (see ``_GTK_ONLY``)."""
    name = dest.replace("\\", "/").rsplit("/", 1)[-1]
    return not name.startswith(_GTK_ONLY)


def keep_data(dest: str) -> bool:
    """False for a collected data file the app never reads (see ``_UNUSED_DATA``)."""
    path = dest.replace("\\", "/")
    return not any(part in path for part in _UNUSED_DATA)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions() -> list[str]:
    """crisisdesk's run-time dependency closure as installed in the build environment."""
    seen: set[str] = set()
    todo = ["crisisdesk"]
    while todo:
        name = _normalise(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # a dependency of another platform only
        for requirement in requires:
            if "extra ==" in requirement:
                continue
            todo.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    return sorted(seen - {"crisisdesk", "pip", "setuptools", "wheel"})


def licence_files() -> list[tuple[str, str]]:
    """(source, folder in the bundle) for every bundled package's licence texts, so the app
    carries them in ``licenses/<package>/`` (LGPL and BSD licences ask for this)."""
    found: list[tuple[str, str]] = []
    for name in runtime_distributions():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for file in dist.files or ():
            lowered = str(file).lower()
            if ".dist-info/" in lowered and any(
                word in lowered for word in ("licen", "copying", "notice", "authors")
            ):
                found.append((str(file.locate()), f"licenses/{name}"))
    # Qt for Python's wheels carry no licence text: ship the LGPL (and the GPL it builds on)
    for text in sorted((Path(__file__).parent / "licenses").glob("*.txt")):
        found.append((str(text), "licenses/pyside6-essentials"))
    return found
