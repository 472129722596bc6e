// A reducer for the Stream tab and `eventscope replay --reducer`: an account's balance at any moment.
({
  $init: () => ({ balance: 0, deposits: 0, withdrawals: 0 }),
  MoneyDeposited: (s, e) => {
    s.balance += e.data.amount;
    s.deposits++;
  },
  MoneyWithdrawn: (s, e) => {
    s.balance -= e.data.amount;
    s.withdrawals++;
  },
})
