-- Remove the rows a batch wrote into one fact table (a lightweight delete:
-- reads stop seeing them at once; FINAL then finds the record's earlier
-- version, if another batch wrote one).
DELETE FROM {table:Identifier} WHERE batch_id = {batch:String}
