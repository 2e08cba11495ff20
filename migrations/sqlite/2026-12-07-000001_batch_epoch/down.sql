DROP TABLE batch_epoch;
