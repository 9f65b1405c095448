import Checkpoints
import Foundation
import MIDI
@testable import Models
import TestSupport
import XCTest

final class BasicPitchNoteCreationTests: XCTestCase {
    /// Basic Pitch's raw outputs for the Bach chorale (../shared/audio/bach_bwv66_6.basicpitch_raw.npz).
    static func bachPosteriorgrams() throws -> Posteriorgrams {
        let arrays = try NumpyArchive.read(path: try SharedData.require("audio/bach_bwv66_6.basicpitch_raw.npz"))
        let note = try XCTUnwrap(arrays["note"]), onset = try XCTUnwrap(arrays["onset"]), contour = try XCTUnwrap(arrays["contour"])
        XCTAssertEqual(note.shape, [2416, 88])
        XCTAssertEqual(contour.shape, [2416, 264])
        return try Posteriorgrams(frameCount: note.shape[0], note: note.floats, onset: onset.floats, contour: contour.floats)
    }

    static func sortKey(_ a: NoteEvent, _ b: NoteEvent) -> Bool {
        (a.start, a.pitch, a.end, a.velocity) < (b.start, b.pitch, b.end, b.velocity)
    }

    /// First milestone: note creation on Basic Pitch's own raw outputs gives exactly Basic Pitch's notes
    /// (times bit-exact as Python printed them, pitches and velocities equal).
    func testNoteCreationOnRawOutputsMatchesBasicPitchExactly() throws {
        let grams = try Self.bachPosteriorgrams()
        let reference = try NoteTable.read(try SharedData.require("audio/bach_bwv66_6.basicpitch.csv")).notes.sorted(by: Self.sortKey)
        let ours = NoteCreation.notes(grams).sorted(by: Self.sortKey)
        XCTAssertEqual(ours.count, reference.count)
        var mismatches = 0
        for (a, b) in zip(ours, reference) where a.start != b.start || a.end != b.end || a.pitch != b.pitch || a.velocity != b.velocity {
            mismatches += 1
            if mismatches <= 5 { print("mismatch: ours \(a.start) \(a.end) \(a.pitch) \(a.velocity) vs \(b.start) \(b.end) \(b.pitch) \(b.velocity)") }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testFrequencyLimitsOfAnySizeGiveABinRange() {
        // `--max-frequency inf` (or 1e308) once trapped converting the bin to Int.
        for (low, high) in [(Double.infinity, Double.infinity), (1e-300, 1e308), (.nan, .nan), (20, .greatestFiniteMagnitude)] {
            var settings = NoteCreationSettings()
            settings.minimumFrequency = low
            settings.maximumFrequency = high
            let (lo, hi) = NoteCreation.binRange(settings)
            XCTAssertTrue((0...BasicPitchConstants.pitchCount).contains(lo) && (0...BasicPitchConstants.pitchCount).contains(hi), "\(low) \(high)")
        }
        for ms in [Double.infinity, -.infinity, .nan, 1e300] {
            XCTAssertGreaterThanOrEqual(BasicPitchConstants.minimumNoteFrames(milliseconds: ms), 0, "\(ms)")
        }
    }

    func testFrameTimesFollowBasicPitchWindowOffsets() {
        XCTAssertEqual(BasicPitchConstants.frameTime(0), 0)
        XCTAssertEqual(BasicPitchConstants.frameTime(86), Double(86 * 256) / 22050)
        // From frame 172 on, each 172 frames lose (256/22050)·(172 − 43844/256) + 0.0018 s.
        let perWindow = (256.0 / 22050.0) * 0.734375 + 0.0018
        XCTAssertEqual(BasicPitchConstants.frameTime(172), Double(172 * 256) / 22050 - perWindow)
        XCTAssertEqual(BasicPitchConstants.minimumNoteFrames(milliseconds: 127.70), 11)
        XCTAssertEqual(BasicPitchConstants.windowSamples, 43_844)
        XCTAssertEqual(BasicPitchConstants.windowHop, 36_164)
    }

    func testSyntheticActivationMakesOneNoteAndMelodiaFindsOnsetlessOnes() throws {
        let n = 100, p = 88
        var note = [Float](repeating: 0, count: n * p), onset = note
        // Pitch 60 (bin 39): onset peak at frame 10, sustained 10..<40.
        for t in 10..<40 { note[t * p + 39] = 0.8 }
        onset[10 * p + 39] = 0.9
        // Pitch 72 (bin 51): sustained 50..<80 without any onset activation; inferred onsets find it.
        for t in 50..<80 { note[t * p + 51] = 0.6 }
        let grams = try Posteriorgrams(frameCount: n, note: note, onset: onset, contour: [])
        let notes = NoteCreation.frameNotes(grams)
        XCTAssertEqual(notes.count, 2)
        XCTAssertEqual(notes.first { $0.pitch == 60 }?.startFrame, 10)
        XCTAssertEqual(notes.first { $0.pitch == 60 }?.endFrame, 40)
        XCTAssertEqual(notes.first { $0.pitch == 60 }?.velocity, Int((127 * Float(0.8)).rounded()))
        // Without inferred onsets the melodia trick still finds the second note.
        var settings = NoteCreationSettings()
        settings.inferOnsets = false
        let melodia = NoteCreation.frameNotes(grams, settings: settings)
        XCTAssertEqual(melodia.map(\.pitch).sorted(), [60, 72])
        settings.melodiaTrick = false
        XCTAssertEqual(NoteCreation.frameNotes(grams, settings: settings).map(\.pitch), [60])
        // Too short: 8 frames ≤ 11 are dropped.
        var short = [Float](repeating: 0, count: n * p)
        for t in 10..<18 { short[t * p + 39] = 0.8 }
        XCTAssertEqual(NoteCreation.frameNotes(try Posteriorgrams(frameCount: n, note: short, onset: onset, contour: [])).count, 0)
        // Silence makes no notes.
        let silent = try Posteriorgrams(frameCount: n, note: [Float](repeating: 0, count: n * p), onset: [Float](repeating: 0, count: n * p), contour: [])
        XCTAssertEqual(NoteCreation.frameNotes(silent).count, 0)
    }

    func testPitchBendsPointAtTheContourPeak() throws {
        let n = 40, p = 88, c = 264
        var note = [Float](repeating: 0, count: n * p), onset = note
        var contour = [Float](repeating: 0, count: n * c)
        for t in 5..<30 {
            note[t * p + 39] = 0.9
            contour[t * c + 3 * 39 + (t < 15 ? 0 : 2)] = 0.9   // two thirds of a semitone sharp from frame 15
        }
        onset[5 * p + 39] = 0.9
        var settings = NoteCreationSettings()
        settings.pitchBends = true
        let notes = NoteCreation.frameNotes(try Posteriorgrams(frameCount: n, note: note, onset: onset, contour: contour), settings: settings)
        XCTAssertEqual(notes.count, 1)
        let bends = try XCTUnwrap(notes.first?.bends)
        XCTAssertEqual(bends.count, notes[0].endFrame - notes[0].startFrame)
        XCTAssertEqual(bends.first, 0)
        XCTAssertEqual(bends.last, 2)
    }
}

/// Basic Pitch's MIDI with pitch bends, written through MIDI's encoder.
final class BasicPitchMIDITests: XCTestCase {
    func testBendsOfLoneNotesAreKeptAndResetOverlappingOnesDropped() throws {
        let lone = FrameNote(startFrame: 0, endFrame: 10, pitch: 60, amplitude: 0.5, bends: [0, 1, -1])
        let a = FrameNote(startFrame: 20, endFrame: 30, pitch: 64, amplitude: 0.5, bends: [2])
        let b = FrameNote(startFrame: 25, endFrame: 35, pitch: 67, amplitude: 0.5, bends: [1])
        let file = BasicPitchMIDI.file([lone, a, b])
        XCTAssertEqual(file.notes.count, 3)
        XCTAssertTrue(file.notes.allSatisfy { $0.program == BasicPitchConstants.midiProgram })
        // Three bends spread over the lone note, then a reset at its end; none for the overlapping pair.
        XCTAssertEqual(file.pitchBends.map(\.value), [0, 1365, -1365, 0])
        XCTAssertEqual(file.pitchBends.first?.time, lone.startTime)
        XCTAssertEqual(file.pitchBends.last?.time, lone.endTime)
        let decoded = try MIDIFile.decode(try file.encode())
        XCTAssertEqual(decoded.pitchBends.map(\.value), [0, 1365, -1365, 0])
        XCTAssertEqual(decoded.notes.map(\.pitch), [60, 64, 67])
    }
}
