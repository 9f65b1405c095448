import Foundation
import Remote
import TestSupport
import XCTest

/// Google Drive links and the pages Drive shows before large files, served by the loopback server.
final class GoogleDriveTests: RemoteTestCase {
    let fileID = "1_K_Fof4zt1IQvs1aDmf-5wY0wHqgcPlC"

    // MARK: Links

    func testFileIDsFromLinks() {
        XCTAssertEqual(GoogleDrive.fileID(in: "https://drive.google.com/file/d/\(fileID)/view?usp=sharing"), fileID)
        XCTAssertEqual(GoogleDrive.fileID(in: "https://drive.google.com/open?id=\(fileID)"), fileID)
        XCTAssertEqual(GoogleDrive.fileID(in: "https://drive.google.com/uc?id=\(fileID)&export=download"), fileID)
        XCTAssertEqual(GoogleDrive.fileID(in: "https://drive.usercontent.google.com/download?id=\(fileID)&export=download"), fileID)
        XCTAssertEqual(GoogleDrive.fileID(in: "gdrive:\(fileID)"), fileID)
        XCTAssertNil(GoogleDrive.fileID(in: "https://example.com/file/d/\(fileID)/view"))
        XCTAssertTrue(GoogleDrive.isBareID(fileID))
        XCTAssertFalse(GoogleDrive.isBareID("model.pth"))
    }

    // MARK: Confirmation pages

    func testOldStyleConfirmTokenAndCookie() throws {
        let bytes = payload(60_000)
        server.route("/uc") { [fileID] request in
            XCTAssertEqual(request.query["id"], fileID)
            if request.query["confirm"] == "Xy-9" {
                XCTAssertEqual(request.header("Cookie"), "download_warning_13058876669334088843_\(fileID)=Xy-9")
                return .content(bytes, for: request)
            }
            return .html("""
                <html><head><title>Google Drive - Virus scan warning</title></head><body>
                <p>Google Drive can't scan this file for viruses.</p>
                <a id="uc-download-link" href="/uc?export=download&amp;confirm=Xy-9&amp;id=\(fileID)">Download anyway</a>
                </body></html>
                """, headers: [("Set-Cookie", "download_warning_13058876669334088843_\(fileID)=Xy-9; Path=/; HttpOnly")])
        }
        let request = DownloadRequest(url: "https://drive.google.com/file/d/\(fileID)/view?usp=sharing",
                                      destination: directory.file("billboard.zip"), sha256: sha256(bytes))
        let recorder = EventRecorder()
        let cwdBefore = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath)
        try fetch(request, recorder: recorder)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertTrue(recorder.messages.contains { $0.contains("confirm the download of a large file") })
        let cwdAfter = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath)
        XCTAssertEqual(cwdBefore.sorted(), cwdAfter.sorted(), "no cookie file in the working directory")
        XCTAssertEqual(directory.contents(), ["billboard.zip"])
    }

    func testCookieOnlyConfirmation() throws {
        let bytes = payload(5000)
        server.route("/uc") { [fileID] request in
            if request.query["confirm"] == "tok123" { return .content(bytes, for: request) }
            return .html("<html><body>Large file</body></html>",
                         headers: [("Set-Cookie", "download_warning_99_\(fileID)=tok123; Path=/")])
        }
        let request = DownloadRequest(url: "gdrive:\(fileID)", destination: directory.file("f.bin"))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
    }

    func testNewStyleUsercontentForm() throws {
        let bytes = payload(80_000)
        let action = server.url("/download")
        server.route("/uc") { [fileID] _ in
            .html("""
                <!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title></head><body>
                <div class="uc-main"><p class="uc-warning-caption">Google Drive can't scan this file for viruses.</p>
                <form id="download-form" action="\(action)" method="get">
                <input type="submit" id="uc-download-link" class="goog-inline-block jfk-button jfk-button-action" value="Download anyway"/>
                <input type="hidden" name="id" value="\(fileID)"><input type="hidden" name="export" value="download">
                <input type="hidden" name="confirm" value="t"><input type="hidden" name="uuid" value="6b5a2c1e-0000-4d4e-9f0a-1234abcd">
                </form></div></body></html>
                """)
        }
        server.route("/download") { [fileID] request in
            guard request.query["id"] == fileID, request.query["confirm"] == "t",
                  request.query["uuid"] == "6b5a2c1e-0000-4d4e-9f0a-1234abcd", request.query["export"] == "download" else {
                return .text("bad form \(request.target)", status: 400)
            }
            return .content(bytes, for: request)
        }
        let request = DownloadRequest(url: "https://drive.google.com/open?id=\(fileID)", destination: directory.file("cmedia.zip"),
                                      md5: md5(bytes))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(server.requests(for: "/download").count, 1)
    }

    func testQuotaPageIsAClearError() {
        server.route("/uc") { _ in
            .html("""
                <html><head><title>Google Drive - Quota exceeded</title></head><body>
                <p>Sorry, you can't view or download this file at this time.</p>
                <p>Too many users have viewed or downloaded this file recently. Please try accessing the file again later.</p>
                </body></html>
                """)
        }
        let request = DownloadRequest(url: "gdrive:\(fileID)", destination: directory.file("q.zip"))
        let error = fetchError(request)
        XCTAssertEqual(error, .driveQuotaExceeded(fileID: fileID))
        XCTAssertEqual(error?.description,
                       "Google Drive quota exceeded for this file (\(fileID)); try again in 24 h or download it in a browser and use `mlwb … import`")
        XCTAssertEqual(directory.contents(), [])
    }

    func testUnknownDrivePage() {
        server.route("/uc") { _ in .html("<html><head><title>Sign in - Google Accounts</title></head><body>accounts.google.com</body></html>") }
        let request = DownloadRequest(url: "gdrive:\(fileID)", destination: directory.file("u.zip"))
        let error = fetchError(request)
        XCTAssertEqual(error, .driveUnexpectedPage(fileID: fileID, detail: "Drive asks to sign in (the file is private)"))
        XCTAssertEqual(directory.contents(), [])
    }

    func testSmallFileWithoutConfirmation() throws {
        let bytes = payload(1000)
        server.route("/uc") { request in
            .content(bytes, for: request)
        }
        let request = DownloadRequest(url: "https://drive.google.com/uc?id=\(fileID)", destination: directory.file("s.bin"))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
    }
}
