package ingesttest

// CSVSeeds are the seeds of a CSV fuzz target: the fixtures' files in
// every encoding and separator the provinces send, and a few odd ones.
func CSVSeeds() [][]byte {
	return [][]byte{
		CSVBytes(IncidentRows, ',', false),
		append([]byte(bom), CSVBytes(IncidentRows, ',', true)...),
		Enc1258(string(CSVBytes(IncidentRows, ';', true))),
		Enc1252(string(CSVBytes(IncidentRowsEnglish, ',', true))),
		CSVBytes(SitesRowsPlain, ';', false),
		CSVBytes(SitesRowsEnglish, '\t', false),
		CSVBytes(GradeRows, ',', false),
		[]byte("Mã vụ việc,Xã/Phường,Ngày tiếp nhận\nVV-1,\"Xã Hùng Lợi\",01/08/2025\nVV-2,\"Xã \"\"Yên\"\" Phú\",2025-08-02\n"),
		[]byte("Xã/Phường;Ngày tiếp nhận;Ghi chú\nXã Hùng Lợi;15/09/2025;\"dòng một\r\ndòng hai\"\n\n;;\nXã Yên Phú;16/09/2025;;\n"),
		[]byte("a,b\n\"unterminated\n"),
		[]byte("\"a\"x,b\n1,2,3\n"),
		[]byte(""),
		[]byte("\n\n\r\n"),
		[]byte(bom),
	}
}
