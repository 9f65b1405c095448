import Audio
import Foundation
import Media
import MIDI
import Models
import Render

/// How a finished run's result looks in Preview: notes as a piano roll, a pitch contour over the
/// input's spectrogram, chords and beats over its waveform (each with time and pitch/frequency
/// axes), classes as bars under the input picture. Built on the run's background task.
public struct ResultView: Sendable, Equatable {
    public var picture: Image
    public var annotation: PreviewAnnotation?
    /// Whether the picture stretches to fill the pane (plots) or keeps its shape (the input picture).
    public var stretch: Bool
    /// The frame label ("piano roll", "contour over spectrogram", …).
    public var label: String

    /// How many class bars the view shows.
    public static let barCount = 5

    /// The view of `result` for the run's `input`; nil for results that are pictures themselves.
    public static func make(_ result: ModelResult, input: ModelInput) -> ResultView? {
        let clip: AudioClip? = { if case .audio(let c) = input { return c } else { return nil } }()
        switch result {
        case .image:
            return nil
        case .classes(let scores):
            let picture: Image = { if case .image(let i) = input { return i } else { return Image(width: 2, height: 2, fill: [0.05, 0.05, 0.08]) } }()
            let bars = scores.prefix(barCount).map {
                LabelledBar(label: $0.label, fraction: Double(min(max($0.probability, 0), 1)),
                            value: HumanReadable.fixed(Double($0.probability) * 100, digits: 1) + "%")
            }
            return ResultView(picture: picture, annotation: .bars(Array(bars)), stretch: false, label: "top \(bars.count) classes")
        case .notes(let notes):
            let duration = max(clip?.duration ?? 0, notes.map(\.end).filter(\.isFinite).max() ?? 0)
            let range = PianoRollPlot.pitchRange(notes)
            let rows = range.map { $0.count } ?? 12
            let picture = PianoRollPlot.render(notes, width: 960, height: max(128, rows * 6), duration: duration)
            var y: [AxisTick] = []
            if let range {
                for p in range where p % 12 == 0 {
                    y.append(AxisTick(position: (Double(range.upperBound - p) + 0.5) / Double(rows), label: "C\(p / 12 - 1)"))
                }
            }
            return ResultView(picture: picture, annotation: .axes(x: AxisTick.times(duration: duration), y: y), stretch: true,
                              label: "piano roll, \(notes.count) notes")
        case .pitch(let frames):
            let points = frames.map { PitchContourPlot.Point(time: $0.time, frequency: $0.frequency, confidence: $0.confidence, voiced: $0.voiced) }
            let duration = max(clip?.duration ?? 0, frames.last?.time ?? 0)
            let width = 960, height = 320
            var spectrogram: Spectrogram?
            if let clip {
                let mono = clip.mono()
                let fftSize = mono.sampleRate >= 32000 ? 4096 : 2048
                let hop = max(128, mono.frameCount / (width * 2))
                spectrogram = STFT(fftSize: fftSize, hop: hop).spectrogram(of: mono)
            }
            let (fmin, fmax) = (40.0, 2000.0)
            let picture = PitchContourPlot.render(points, width: width, height: height, fmin: fmin, fmax: fmax,
                                                  duration: duration, spectrogram: spectrogram)
            let (low, high) = PitchContourPlot.range(points, fmin: fmin, fmax: fmax)
            let y = PitchContourPlot.octaveLines(low: low, high: high).compactMap { line in
                PitchContourPlot.position(of: line.hz, low: low, high: high)
                    .map { AxisTick(position: $0, label: "C\(line.pitch / 12 - 1) \(Int(line.hz.rounded()))") }
            }
            return ResultView(picture: picture, annotation: .axes(x: AxisTick.times(duration: duration), y: y), stretch: true,
                              label: spectrogram == nil ? "pitch contour" : "contour over spectrogram")
        case .chords(let segments):
            guard let clip else { return nil }
            let spans = segments.map { ChordLanePlot.Span(start: $0.start, end: $0.end, label: $0.label) }
            let picture = ChordLanePlot.overview(clip, spans: spans, width: 960, height: 240)
            return ResultView(picture: picture, annotation: .axes(x: AxisTick.times(duration: clip.duration), y: []), stretch: true,
                              label: "waveform + chords")
        case .beats(let beats, _):
            guard let clip else { return nil }
            let picture = BeatPlot.render(clip, beats: beats.map { (time: $0.time, downbeat: $0.position == 1) }, width: 960, height: 240)
            return ResultView(picture: picture, annotation: .axes(x: AxisTick.times(duration: clip.duration), y: []), stretch: true,
                              label: "waveform + beats")
        }
    }
}
