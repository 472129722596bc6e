// The balance of every account: one state per stream of the account category.
fromCategory('account')
  .foreachStream()
  .when({
    $init: function () {
      return { balance: 0, deposits: 0, withdrawals: 0 };
    },
    MoneyDeposited: function (s, e) {
      s.balance += e.data.amount;
      s.deposits++;
    },
    MoneyWithdrawn: function (s, e) {
      s.balance -= e.data.amount;
      s.withdrawals++;
    },
  });
