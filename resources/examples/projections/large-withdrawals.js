// Flags every withdrawal above 400 into a stream of its own (emit), and counts them per account.
options({ resultStreamName: 'large-withdrawals-summary' });

fromCategory('account')
  .foreachStream()
  .when({
    $init: function () {
      return { count: 0, largest: 0 };
    },
    MoneyWithdrawn: function (s, e) {
      if (e.data.amount <= 400) return;
      s.count++;
      s.largest = Math.max(s.largest, e.data.amount);
      emit('alerts-large-withdrawals', 'LargeWithdrawalSeen', { account: e.streamId, amount: e.data.amount },
        { sourceSequenceNumber: e.sequenceNumber });
    },
  })
  .filterBy(function (s) {
    return s.count > 0;
  });
