-- One event of the batch log ('load' or 'undo').
INSERT INTO ingest_batches (batch_id, event, at, actor, files, kinds, counts, provinces, context)
SELECT {id:String}, {event:String}, fromUnixTimestamp64Milli({at_ms:Int64}, 'UTC'), {actor:String}, {files:String},
       {kinds:Array(String)}, {counts:String}, {provinces:Array(String)}, {context:String}
