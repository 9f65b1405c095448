// swift-tools-version:6.0
// mlwb — a keyboard-driven terminal workbench for creative and music machine learning.
//
// Layers (imports point down only; each arrow is a declared dependency; see ARCHITECTURE.md):
//   mlwb → CLI → TUI → Models → ONNX → Engine
//                       Models → Checkpoints → Remote;  Datasets → Remote
//                TUI → Render → Audio, MIDI;  Models → Audio, MIDI, Canvas
//   Audio, MIDI, Canvas, Engine, Remote, Checkpoints, Datasets, Render → Media → C shims
import Foundation
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
        .systemLibrary(name: "CSndFile", providers: [.apt(["libsndfile1-dev"])]),  // opened lazily
        // OpenBLAS is opened lazily (dlopen) by the shim: no link flags, see Sources/CBLAS/shim.h.
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),  // opened lazily
        // libarchive and libcurl are opened lazily too (dlopen on first use): no link flags. Their
        // shims, libsndfile's and libcrypto's share Sources/CLazyLoad/lazy_load.h (a textual header).
        // Only libpng and ncurses are linked: they are what `mlwb show` and the workbench need at once.
        .systemLibrary(name: "CArchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The image decoders beside libpng, opened lazily as well: JPEG (libjpeg-turbo's TurboJPEG API),
        // WebP (libwebp's animation decoder, which also reads stills) and GIF (giflib).
        .systemLibrary(name: "CJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CWebP", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CGIF", providers: [.apt(["libgif-dev"])]),
        // No library at all: static inline accessors for the CPU's floating-point control register
        // (flush subnormals to zero), used by Media's DenormalMode and by the OpenBLAS shim.
        .systemLibrary(name: "CFloatEnv"),

        // MARK: Libraries, one per concern
        .target(name: "Media", dependencies: ["CPNG", "CJPEG", "CWebP", "CGIF", "CFloatEnv"]),
        .target(name: "Audio", dependencies: ["Media", "CSndFile"]),
        .target(name: "MIDI", dependencies: ["Media"]),
        .target(name: "Canvas", dependencies: ["Media"]),
        .target(name: "Engine", dependencies: ["Media", "CBLAS"]),
        .target(name: "Checkpoints", dependencies: ["Media", "Remote", "CArchive"]),
        .target(name: "Remote", dependencies: ["Media", "CCurl", "CCrypto"]),
        .target(name: "Datasets", dependencies: ["Media", "Remote", "CArchive"]),
        .target(name: "ONNX", dependencies: ["Engine"]),
        .target(name: "Models", dependencies: ["Engine", "ONNX", "Checkpoints", "Media", "Audio", "MIDI", "Canvas"]),
        .target(name: "Render", dependencies: ["Media", "Audio", "MIDI"]),
        .target(name: "TUI", dependencies: ["CNCurses", "Render", "Media", "Audio", "MIDI", "Canvas", "Models", "Checkpoints", "Remote", "Datasets"]),
        .target(name: "CLI", dependencies: ["Media", "Audio", "MIDI", "Canvas", "Engine", "Render", "Checkpoints", "Remote", "Datasets", "Models", "TUI", "CNCurses"]),
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
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TUITests", dependencies: ["TUI", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "TestSupport"], exclude: ["Snapshots"]),
        // Mutants of real seeds of every format mlwb parses, run through the parsers in process.
        .testTarget(name: "FuzzTests", dependencies: ["Media", "Audio", "MIDI", "Render", "Checkpoints", "ONNX", "Engine",
                                                      "Datasets", "Remote", "Models", "TUI", "TestSupport"],
                    exclude: ["Fixtures"]),
    ]
)

// MARK: Host tuning

/// Release builds use the AVX2/FMA instruction set when the building machine has it (like
/// `-march=native`; the numeric kernels are ~1.3× faster). `MLWB_PORTABLE=1` builds for baseline
/// x86-64 instead, for a binary that must run on other machines.
let hostTuning: [SwiftSetting] = {
    #if arch(x86_64) && os(Linux)
    if ProcessInfo.processInfo.environment["MLWB_PORTABLE"].map({ ["1", "true", "yes"].contains($0) }) == true { return [] }
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    let flags = Set(line.split(separator: " ").map(String.init))
    let haswell: Set<String> = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm", "popcnt", "sse4_2"]
    guard haswell.isSubset(of: flags) else { return [] }
    return [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]
    #else
    return []
    #endif
}()

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + hostTuning
}
