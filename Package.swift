// swift-tools-version:6.0
// mlwb — a keyboard-driven terminal workbench for creative and music machine learning.
//
// Layers (imports point down only; see ARCHITECTURE.md):
//   mlwb (executable) → CLI → TUI → Models → Checkpoints, Datasets → Remote │ ONNX → Engine
//   → Render → Canvas, Audio, MIDI → Media → C shims
import PackageDescription

let package = Package(
    name: "mlwb",
    products: [
        .executable(name: "mlwb", targets: ["mlwb"]),
    ],
    targets: [
        // MARK: C libraries (system-library targets: module map + shim header)
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        // OpenBLAS is opened lazily (dlopen) by the shim: no link flags, see Sources/CBLAS/shim.h.
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // MARK: Libraries, one per concern
        .target(name: "Media", dependencies: ["CPNG"]),
        .target(name: "Audio", dependencies: ["Media", "CSndFile"]),
        .target(name: "MIDI", dependencies: ["Media"]),
        .target(name: "Canvas", dependencies: ["Media"]),
        .target(name: "Engine", dependencies: ["CBLAS"]),
        .target(name: "Checkpoints", dependencies: ["Media", "CCrypto", "CArchive"]),
        .target(name: "Remote", dependencies: ["Media", "CCurl", "CCrypto"]),
        .target(name: "Datasets", dependencies: ["Media", "Remote", "CArchive", "CCrypto"]),
        .target(name: "ONNX", dependencies: ["Engine", "Media"]),
        .target(name: "Models", dependencies: ["Engine", "ONNX", "Checkpoints", "Media", "Audio", "MIDI", "Canvas"]),
        .target(name: "Render", dependencies: ["Media", "Audio", "MIDI"]),
        .target(name: "TUI", dependencies: ["CNCurses", "Render", "Media", "Audio", "MIDI", "Canvas", "Models", "Checkpoints", "Remote", "Datasets"]),
        .target(name: "CLI", dependencies: ["Media", "Audio", "MIDI", "Canvas", "Render", "Checkpoints", "Remote", "Datasets", "Models", "ONNX", "TUI", "CNCurses"]),
        .executableTarget(name: "mlwb", dependencies: ["CLI"]),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Media"], path: "Tests/TestSupport"),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AudioTests", dependencies: ["Audio", "TestSupport"]),
        .testTarget(name: "MIDITests", dependencies: ["MIDI", "TestSupport"]),
        .testTarget(name: "CanvasTests", dependencies: ["Canvas", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"]),
        .testTarget(name: "CheckpointsTests", dependencies: ["Checkpoints", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RemoteTests", dependencies: ["Remote", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TestSupport"]),
        .testTarget(name: "TUITests", dependencies: ["TUI", "TestSupport"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "TestSupport"]),
    ]
)
