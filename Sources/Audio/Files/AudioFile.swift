import CSndFile
import Media

/// Reading and writing audio files (WAV, FLAC, Ogg Vorbis, and whatever else libsndfile reads).
///
/// Every failure is a `MediaError` naming the path; nothing here traps on bad input.
public enum AudioFile {
    /// Frames decoded or encoded per libsndfile call.
    static let chunkFrames = 1 << 15

    // MARK: Reading

    /// Reads the header of `path` (length, rate, channels, format) without decoding samples.
    public static func info(_ path: String) throws -> AudioInfo {
        let (file, info) = try open(path)
        defer { mlwb_sf_close(file) }
        try validate(info, path: path, maxSamples: Int.max)
        return AudioInfo(frameCount: Int(info.frames), sampleRate: Int(info.samplerate),
                         channelCount: Int(info.channels),
                         formatName: AudioFormat.describe(sndfileFormat: info.format))
    }

    /// Decodes `path` into a clip, refusing files of more than `maxSamples` samples before allocating.
    public static func load(_ path: String, maxSamples: Int = AudioClip.maxSamples) throws -> AudioClip {
        let (file, info) = try open(path)
        defer { mlwb_sf_close(file) }
        try validate(info, path: path, maxSamples: maxSamples)
        let frames = Int(info.frames), channelCount = Int(info.channels)

        // Grow with the decoded data rather than trusting the header for one big allocation.
        var channels = [[Float]](repeating: [], count: channelCount)
        for c in 0..<channelCount { channels[c].reserveCapacity(min(frames, 1 << 22)) }
        let chunk = max(1, min(chunkFrames, frames))
        var interleaved = [Float](repeating: 0, count: chunk * channelCount)
        var planar = [Float](repeating: 0, count: chunk)
        var total = 0
        while total < frames {
            let want = min(chunk, frames - total)
            let got = interleaved.withUnsafeMutableBufferPointer { buffer in
                Int(mlwb_sf_readf_float(file, buffer.baseAddress, sf_count_t(want)))
            }
            if got <= 0 { break }
            if channelCount == 1 {
                channels[0].append(contentsOf: interleaved[0..<got])
            } else {
                for c in 0..<channelCount {
                    interleaved.withUnsafeBufferPointer { src in
                        planar.withUnsafeMutableBufferPointer { dst in
                            for i in 0..<got { dst[i] = src[i * channelCount + c] }
                        }
                    }
                    channels[c].append(contentsOf: planar[0..<got])
                }
            }
            total += got
        }
        let status = mlwb_sf_error(file)
        if status != 0 {
            throw MediaError.corrupt(path: path, format: formatLabel(info.format),
                                     detail: "decoding failed after \(total) of \(frames) frames: \(errorText(file))")
        }
        guard total == frames else {
            throw MediaError.corrupt(path: path, format: formatLabel(info.format),
                                     detail: "the data ends after \(total) of the \(frames) frames its header declares")
        }
        return AudioClip(sampleRate: Int(info.samplerate), channels: channels)
    }

    // MARK: Writing

    /// Writes `clip` to `path` atomically; the format defaults to the one the extension names.
    public static func save(_ clip: AudioClip, to path: String, format: AudioFormat? = nil) throws {
        let format = try format ?? AudioFormat.inferred(from: path)
        guard clip.channelCount > 0 else {
            throw MediaError.invalidArgument("\(path): cannot save audio with no channels")
        }
        guard clip.channelCount <= AudioClip.maxChannels else {
            throw MediaError.unsupported(path: path, detail: "\(clip.channelCount) channels (limit \(AudioClip.maxChannels))")
        }
        if case .oggVorbis(let quality) = format, !(0...1).contains(quality) {
            throw MediaError.invalidArgument("\(path): Vorbis quality \(quality) is outside 0…1")
        }
        var info = SF_INFO()
        info.samplerate = Int32(clamping: clip.sampleRate)
        info.channels = Int32(clip.channelCount)
        info.format = format.sndfileFormat
        guard clip.sampleRate <= Int(Int32.max), mlwb_sf_format_check(&info) != 0 else {
            throw MediaError.unsupported(
                path: path, detail: "libsndfile cannot write \(format.name) at \(clip.sampleRate) Hz with \(clip.channelCount) channel(s)")
        }
        try AtomicFile.write(to: path) { temporary in
            guard let file = mlwb_sf_open(temporary, Int32(SFM_WRITE), &info) else {
                throw MediaError.writeFailed(path: path, reason: errorText(nil))
            }
            var open = true
            defer { if open { mlwb_sf_close(file) } }
            if case .oggVorbis(let quality) = format {
                var q = quality
                mlwb_sf_command(file, Int32(SFC_SET_VBR_ENCODING_QUALITY), &q, Int32(MemoryLayout<Double>.size))
            }
            mlwb_sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
            try writeSamples(clip, to: file, path: path)
            mlwb_sf_write_sync(file)
            open = false
            let status = mlwb_sf_close(file)
            guard status == 0 else {
                throw MediaError.writeFailed(path: path, reason: String(cString: mlwb_sf_error_number(status)))
            }
        }
    }

    /// Interleaves and writes all frames of `clip` in chunks.
    private static func writeSamples(_ clip: AudioClip, to file: OpaquePointer, path: String) throws {
        let channelCount = clip.channelCount, frames = clip.frameCount
        var interleaved = [Float](repeating: 0, count: min(chunkFrames, max(1, frames)) * channelCount)
        var start = 0
        while start < frames {
            let n = min(chunkFrames, frames - start)
            interleaved.withUnsafeMutableBufferPointer { out in
                for c in 0..<channelCount {
                    clip.channels[c].withUnsafeBufferPointer { src in
                        for i in 0..<n { out[i * channelCount + c] = src[start + i] }
                    }
                }
            }
            let written = interleaved.withUnsafeBufferPointer { Int(mlwb_sf_writef_float(file, $0.baseAddress, sf_count_t(n))) }
            guard written == n else {
                throw MediaError.writeFailed(path: path, reason: "wrote \(start + max(0, written)) of \(frames) frames: \(errorText(file))")
            }
            start += n
        }
    }

    // MARK: Checks

    /// Opens `path` for reading after checking it is a readable, non-empty regular file.
    private static func open(_ path: String) throws -> (OpaquePointer, SF_INFO) {
        let size = try FileAccess.checkReadableFile(path)
        guard size > 0 else {
            throw MediaError.corrupt(path: path, format: formatLabel(forPath: path), detail: "the file is empty")
        }
        var info = SF_INFO()
        guard let file = mlwb_sf_open(path, Int32(SFM_READ), &info) else {
            throw MediaError.corrupt(path: path, format: formatLabel(forPath: path), detail: "libsndfile: \(errorText(nil))")
        }
        if let (declared, present) = shortDataChunk(file) {
            mlwb_sf_close(file)
            throw MediaError.corrupt(
                path: path, format: formatLabel(info.format),
                detail: "truncated: the header declares \(declared) bytes of sample data but only \(present) are present")
        }
        return (file, info)
    }

    /// The declared and actual sizes of a data chunk that the file cuts short, from libsndfile's parse log.
    ///
    /// libsndfile silently shortens such chunks to what is present and logs "data : 17640 (should be 8798)".
    /// Placeholder sizes written by streaming encoders (0 and 0xFFFFFFFF) are not treated as truncation.
    private static func shortDataChunk(_ file: OpaquePointer) -> (declared: Int, present: Int)? {
        var log = [CChar](repeating: 0, count: 1 << 14)
        let length = Int(mlwb_sf_command(file, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count)))
        guard length > 0 else { return nil }
        let text = String(decoding: log.prefix(min(length, log.count - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for line in text.split(separator: "\n") {
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("data :") || trimmed.hasPrefix("SSND :"),
                  let marker = trimmed.firstRange(of: "(should be ") else { continue }
            let declaredText = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 6)..<marker.lowerBound]
            let presentText = trimmed[marker.upperBound...].prefix { $0.isNumber }
            guard let declared = Int(declaredText.filter(\.isNumber)), let present = Int(presentText),
                  declared != 0, declared != 0xFFFF_FFFF, present < declared else { continue }
            return (declared, present)
        }
        return nil
    }

    /// Throws unless the header describes something mlwb can hold in memory.
    private static func validate(_ info: SF_INFO, path: String, maxSamples: Int) throws {
        let label = formatLabel(info.format)
        guard info.channels > 0 else {
            throw MediaError.corrupt(path: path, format: label, detail: "the header declares \(info.channels) channels")
        }
        guard info.channels <= AudioClip.maxChannels else {
            throw MediaError.unsupported(path: path, detail: "\(info.channels) channels (limit \(AudioClip.maxChannels))")
        }
        guard info.samplerate > 0 else {
            throw MediaError.corrupt(path: path, format: label, detail: "the header declares a sample rate of \(info.samplerate) Hz")
        }
        // Work downstream (resampling, spectrograms, models) scales with the rate: a 3 Hz header
        // turns 20 kB into an hour of audio, 2^31 Hz into a resampling filter of millions of taps.
        let rates = AudioClip.supportedSampleRates
        guard rates.contains(Int(info.samplerate)) else {
            throw MediaError.unsupported(
                path: path,
                detail: "the header declares a sample rate of \(info.samplerate) Hz; mlwb reads audio at \(rates.lowerBound)–\(rates.upperBound) Hz (resample it first, or the header is damaged)")
        }
        guard info.frames >= 0, info.frames < Int64.max / 1024 else {
            throw MediaError.unsupported(path: path, detail: "the file does not declare its length (a stream?)")
        }
        let samples = Int(info.frames) * Int(info.channels)
        guard samples <= maxSamples else {
            throw MediaError.tooLarge(
                path: path,
                detail: "\(info.frames) frames × \(info.channels) channels = \(samples) samples (limit \(maxSamples)); split or downsample it first")
        }
    }

    /// libsndfile's message for the last error on `file` (or on the last failed open when nil).
    private static func errorText(_ file: OpaquePointer?) -> String {
        guard let text = mlwb_sf_strerror(file) else { return "unknown error" }
        return String(cString: text)
    }

    /// The container name used in messages for an opened file.
    private static func formatLabel(_ format: Int32) -> String {
        switch Int(format) & Int(SF_FORMAT_TYPEMASK) {
        case Int(SF_FORMAT_WAV), Int(SF_FORMAT_WAVEX), Int(SF_FORMAT_RF64): return "WAV"
        case Int(SF_FORMAT_FLAC): return "FLAC"
        case Int(SF_FORMAT_OGG): return "Ogg"
        default: return "audio"
        }
    }

    /// The container name used in messages for a file that could not be opened, from its extension.
    private static func formatLabel(forPath path: String) -> String {
        switch path.split(separator: ".").last?.lowercased() {
        case "wav", "wave": return "WAV"
        case "flac": return "FLAC"
        case "ogg", "oga": return "Ogg"
        default: return "audio"
        }
    }
}
